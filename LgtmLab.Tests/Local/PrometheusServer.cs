using System.Globalization;
using System.Text.Json.Nodes;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Local;

/// <summary>
/// Debian's Prometheus on a free loopback port with a throw-away config and TSDB, scraping fixed targets every second.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    public Uri Url { get; }

    private PrometheusServer(ChildProcess process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <param name="jobs">Scrape job name (e.g. <c>tns/app</c>) to a <c>host:port</c> target.</param>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, string> jobs, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("lgtmlab-prometheus-").FullName;
        var config = new JsonObject
        {
            ["global"] = new JsonObject { ["scrape_interval"] = "1s", ["scrape_timeout"] = "1s", ["evaluation_interval"] = "1s" },
            ["scrape_configs"] = new JsonArray([.. jobs.Select(job => (JsonNode)new JsonObject
            {
                ["job_name"] = job.Key,
                ["static_configs"] = new JsonArray(new JsonObject { ["targets"] = new JsonArray(job.Value) }),
            })]),
        };
        return await StartAsync(directory, config, ct);
    }

    /// <summary>Prometheus with a whole config of the caller's (written as JSON, which is YAML) in <paramref name="directory"/>.</summary>
    public static async Task<PrometheusServer> StartAsync(string directory, JsonObject config, CancellationToken ct)
    {
        var configFile = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, config.ToJsonString(), ct); // JSON is YAML

        var port = FreePort.Next();
        var process = ChildProcess.Start("prometheus", ToolPath.Require("prometheus"),
        [
            $"--config.file={configFile}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--enable-feature=exemplar-storage",
            "--log.level=warn",
        ]);

        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await server.WaitReadyAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitReadyAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"prometheus exited at start\n{_process.Tail()}");
            try
            {
                using var response = await _http.GetAsync("/-/ready", ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"prometheus at {Url} not ready within 30 s\n{_process.Tail()}");
            await Task.Delay(200, ct);
        }
    }

    /// <summary>An instant query; the series of its vector result (label set and value).</summary>
    public async Task<IReadOnlyList<PromSample>> QueryAsync(string promQl, CancellationToken ct)
    {
        using var response = await _http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(promQl)}", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var json = JsonNode.Parse(body)!;
        if ((string?)json["status"] != "success")
            throw new InvalidOperationException($"Prometheus rejected `{promQl}`: {json["errorType"]}: {json["error"]}");
        if ((string?)json["data"]!["resultType"] != "vector")
            throw new InvalidOperationException($"`{promQl}` returned {json["data"]!["resultType"]}, expected a vector");

        return [.. json["data"]!["result"]!.AsArray().Select(series => new PromSample(
            series!["metric"]!.AsObject().ToDictionary(l => l.Key, l => (string)l.Value!),
            double.Parse((string)series["value"]![1]!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>The labels of every active target (after relabeling), from <c>/api/v1/targets</c>.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> ActiveTargetLabelsAsync(CancellationToken ct)
    {
        var json = JsonNode.Parse(await _http.GetStringAsync("/api/v1/targets", ct))!;
        return [.. json["data"]!["activeTargets"]!.AsArray().Select(t =>
            (IReadOnlyDictionary<string, string>)t!["labels"]!.AsObject().ToDictionary(l => l.Key, l => (string)l.Value!))];
    }

    /// <summary>Scrape health of every target (job, up) from <c>/api/v1/targets</c>, for failure messages.</summary>
    public async Task<string> TargetsAsync(CancellationToken ct)
    {
        var json = JsonNode.Parse(await _http.GetStringAsync("/api/v1/targets", ct))!;
        return string.Join("; ", json["data"]!["activeTargets"]!.AsArray().Select(t =>
            $"{t!["labels"]!["job"]} {t["health"]} {t["lastError"]}"));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>One series of an instant vector.</summary>
internal sealed record PromSample(IReadOnlyDictionary<string, string> Labels, double Value);
