using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LgtmLab.Tests.Tns;

/// <summary>
/// One TNS role as a real process (<c>dotnet LgtmLab.TnsSample.dll &lt;role&gt; ...</c>) on 127.0.0.1 and a port
/// the OS picks; its stdout lines are kept for assertions. Disposing kills it.
/// </summary>
internal sealed partial class TnsProcess : IAsyncDisposable
{
    // Generous: a loaded two-core machine can take many seconds to start a .NET process.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TnsProcess(Process process) => _process = process;

    /// <summary>Where it listens, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string Url => BaseUrl.OriginalString.TrimEnd('/');

    /// <summary>A snapshot of everything it printed on stdout (and stderr) so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    /// <summary>The path of the TNS program the tests run.</summary>
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "LgtmLab.TnsSample.dll");

    /// <param name="role">db, app or loadgen.</param>
    /// <param name="args">Flags and URLs after the listen flags.</param>
    /// <param name="env">Environment on top of a clean one.</param>
    /// <param name="listenFlags">Pass <c>-server.http-listen-address=127.0.0.1 -server.http-listen-port=0</c>;
    /// without them the process listens where <c>ASPNETCORE_URLS</c> says, as under Aspire.</param>
    public static async Task<TnsProcess> StartAsync(string role, IEnumerable<string>? args = null, IReadOnlyDictionary<string, string>? env = null, bool listenFlags = true)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(DllPath);
        info.ArgumentList.Add(role);
        if (listenFlags)
        {
            info.ArgumentList.Add("-server.http-listen-address=127.0.0.1");
            info.ArgumentList.Add("-server.http-listen-port=0");
        }
        info.ArgumentList.Add("-log.level=debug");
        foreach (var arg in args ?? [])
            info.ArgumentList.Add(arg);

        // Only what the test gives: nothing inherited may send telemetry elsewhere or move the port.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)
                     || k.StartsWith("LGTMLAB_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                     || k.StartsWith("services__", StringComparison.Ordinal) || k.StartsWith("Tns__", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
            info.Environment[key] = value;

        var tns = new TnsProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        tns._process.OutputDataReceived += (_, e) => tns.OnLine(e.Data);
        tns._process.ErrorDataReceived += (_, e) => tns.OnLine(e.Data);
        tns._process.Exited += (_, _) => tns._listening.TrySetException(
            new InvalidOperationException($"tns {role} exited before listening:\n{string.Join('\n', tns.Lines)}"));
        tns._process.Start();
        tns._process.BeginOutputReadLine();
        tns._process.BeginErrorReadLine();

        try
        {
            tns.BaseUrl = await tns._listening.Task.WaitAsync(StartTimeout);
            await tns.WaitAliveAsync();
        }
        catch
        {
            await tns.DisposeAsync();
            throw;
        }
        return tns;
    }

    /// <summary>Waits until a stdout line matches; returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (Lines.FirstOrDefault(match) is { } line)
                return line;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no matching line; output was:\n{string.Join('\n', Lines.TakeLast(40))}");
    }

    /// <summary>Waits until the output so far satisfies a condition.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition(Lines))
        {
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"condition not met; output was:\n{string.Join('\n', Lines.TakeLast(40))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_lines)
            _lines.Add(line);
        if (ListeningLine().Match(line) is { Success: true } m)
            _listening.TrySetResult(new Uri(m.Groups["url"].Value));
    }

    private async Task WaitAliveAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(BaseUrl, "/alive"))).IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"{BaseUrl}alive never answered 200");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex("""^level=info msg="Now listening on: (?<url>http://127\.0\.0\.1:\d+)"$""")]
    private static partial Regex ListeningLine();
}
