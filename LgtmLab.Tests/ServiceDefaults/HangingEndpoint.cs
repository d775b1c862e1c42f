using System.Net;
using System.Net.Sockets;

namespace LgtmLab.Tests.ServiceDefaults;

/// <summary>
/// An endpoint that is down the worst way: it accepts connections on 127.0.0.1 and never answers, so every
/// export to it waits for its timeout.
/// </summary>
internal sealed class HangingEndpoint : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> held = [];
    private readonly CancellationTokenSource stop = new();
    private int connections;

    public HangingEndpoint()
    {
        listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    public int Connections => Volatile.Read(ref connections);

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        lock (held)
        {
            foreach (var client in held)
                client.Dispose();
        }
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
                lock (held)
                    held.Add(client);
                _ = DrainAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task DrainAsync(TcpClient client)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await client.GetStream().ReadAsync(buffer, stop.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
    }
}
