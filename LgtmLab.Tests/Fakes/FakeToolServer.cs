using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The 127.0.0.1 endpoint the fake tool scripts call: reads one NUL-separated request per connection
/// (tool, cwd, KUBECONFIG, HOME, stdin flag, argc, argv..., stdin) and hands it to the toolbox.
/// A connection that closes early (the script was killed) cancels the call.
/// </summary>
internal sealed class FakeToolServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeCall, Task<int>> _handle;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public FakeToolServer(Func<FakeCall, Task<int>> handle)
    {
        _handle = handle;
        _listener.Start(backlog: 256);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try { await _acceptLoop; } catch (OperationCanceledException) { }
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stopping.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        var reader = new BufferedStream(stream);
        FakeCall call;
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        try
        {
            var tool = ReadField(reader);
            var cwd = ReadField(reader);
            var kubeconfig = ReadField(reader);
            var home = ReadField(reader);
            var hasStdin = ReadField(reader) == "1";
            var argc = int.Parse(ReadField(reader), CultureInfo.InvariantCulture);
            var args = new string[argc];
            for (var i = 0; i < argc; i++) args[i] = ReadField(reader);
            var stdin = hasStdin ? ReadField(reader) : null;
            call = new FakeCall(tool, args, cwd, kubeconfig, home, stdin, stream, aborted.Token);
        }
        catch (Exception e) when (e is IOException or FormatException or EndOfStreamException)
        {
            return;
        }
        _ = WatchForHangUpAsync(stream, aborted);
        int exitCode;
        try { exitCode = await _handle(call); }
        catch (Exception e)
        {
            call.ErrLine($"fake {call.Tool} crashed (a bug in LgtmLab.Tests/Fakes): {e}");
            exitCode = 125;
        }
        call.Exit(exitCode);
    }

    private static async Task WatchForHangUpAsync(NetworkStream stream, CancellationTokenSource aborted)
    {
        var buffer = new byte[1];
        try
        {
            while (await stream.ReadAsync(buffer, aborted.Token) > 0) { }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
        try { await aborted.CancelAsync(); } catch (ObjectDisposedException) { }
    }

    private static string ReadField(Stream stream)
    {
        var bytes = new List<byte>(64);
        while (true)
        {
            var b = stream.ReadByte();
            if (b < 0) throw new EndOfStreamException("the fake tool script hung up mid-request");
            if (b == 0) return Encoding.UTF8.GetString([.. bytes]);
            bytes.Add((byte)b);
        }
    }
}
