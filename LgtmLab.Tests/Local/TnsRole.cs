namespace LgtmLab.Tests.Local;

/// <summary>One TNS role run from LgtmLab.TnsSample's build output as a real process on a loopback port.</summary>
internal sealed class TnsRole : IAsyncDisposable
{
    readonly ChildProcess _process;

    public string Role { get; }
    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}");

    TnsRole(string role, int port, ChildProcess process)
    {
        Role = role;
        Port = port;
        _process = process;
    }

    /// <summary>The sample's own build output (same configuration as the tests), so its content files are beside it.</summary>
    public static string DllPath => Path.Combine(
        Dashboards.RepositoryFile.PathOf("LgtmLab.TnsSample", "bin", Dashboards.RepositoryFile.BuildConfiguration),
        "net10.0", "LgtmLab.TnsSample.dll");

    /// <summary>Starts <c>LgtmLab.TnsSample role url...</c> bound to 127.0.0.1 only, and waits until /health answers.</summary>
    public static async Task<TnsRole> StartAsync(string role, IEnumerable<Uri> downstream, CancellationToken ct)
    {
        if (!File.Exists(DllPath))
            throw new FileNotFoundException($"{DllPath} is missing: build LgtmLab.TnsSample in {Dashboards.RepositoryFile.BuildConfiguration} first");

        var port = FreePort.Next();
        var process = ChildProcess.Start($"tns {role}", "dotnet", [DllPath, role, .. downstream.Select(u => u.ToString().TrimEnd('/'))],
            new Dictionary<string, string?>
            {
                // No -server.http-listen-port flag: the port then comes from ASPNETCORE_URLS, which also keeps it on loopback.
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
                ["OTEL_SERVICE_NAME"] = null,
            },
            workingDirectory: Path.GetDirectoryName(DllPath));

        var tnsRole = new TnsRole(role, port, process);
        try
        {
            await tnsRole.WaitHealthyAsync(ct);
            return tnsRole;
        }
        catch
        {
            await tnsRole.DisposeAsync();
            throw;
        }
    }

    async Task WaitHealthyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"tns {Role} exited before it became healthy\n{_process.Tail()}");
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/health"), ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"tns {Role} did not answer {Url}health within 30 s\n{_process.Tail()}");
            await Task.Delay(200, ct);
        }
    }

    public string Tail() => _process.Tail();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
