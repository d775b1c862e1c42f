using System.Diagnostics;
using LgtmLab.Tests.Tns;
using Xunit.Abstractions;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.ServiceDefaults;

/// <summary>
/// Telemetry goes to every OTLP endpoint; one that is down (refusing, or accepting and never answering) costs
/// the others nothing and the requests nothing.
/// </summary>
[Collection(TnsCollection.Name)]
public sealed class DualOtlpExportTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> FastExport(Dictionary<string, string> env)
    {
        env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        env["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        env["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        env["Tns__Db__FaultWindow"] = "never";
        return env;
    }

    [Fact]
    public async Task The_primary_gets_connected_traces_logs_and_metrics_while_the_additional_endpoints_are_down()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var hanging = new HangingEndpoint();
        // gRPC to the primary, as Aspire configures it for its dashboard.
        var env = FastExport(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.GrpcUrl,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otlp-api-key=primary-secret",
            ["LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS"] = $"http://127.0.0.1:{FreePort.Next()}, {hanging.Url}",
        });
        await using var db = await TnsProcess.StartAsync("db", env: env);
        await using var app = await TnsProcess.StartAsync("app", [db.Url], env);
        await using var loadgen = await TnsProcess.StartAsync("loadgen", [app.Url], env);

        // loadgen -> app -> db in one trace, with TNS's span names and kinds.
        await receiver.WaitUntilAsync(r => FindConnectedTrace(r.Spans.ToList()) is not null, "a trace lb -> app -> db", Arrival);
        var trace = FindConnectedTrace(receiver.Spans.ToList())!;
        output.WriteLine(string.Join('\n', trace.Select(s => $"{s.Service} {s.Name} kind={s.Kind} span={s.SpanId} parent={s.ParentSpanId}")));

        await receiver.WaitUntilAsync(r => r.Logs.Any(l => l.Service == "app" && l.Body == "HTTP client success" && l.Attributes.GetValueOrDefault("status_code") == "200"
            && l.Attributes.ContainsKey("traceID") && l.TraceId.Length == 32), "app's HTTP client success log record", Arrival);
        await receiver.WaitUntilAsync(r => r.Logs.Any(l => l.Service == "db" && l.Body.StartsWith("GET / (200) ", StringComparison.Ordinal)), "db's request log record", Arrival);
        await receiver.WaitUntilAsync(r => r.Metrics.Contains(("db", "tns_db_fetches_total")) && r.Metrics.Contains(("app", "tns_client_request_duration_seconds"))
            && r.Metrics.Contains(("lb", "tns_client_request_duration_seconds")) && r.Metrics.Contains(("app", "tns_request_duration_seconds")), "the TNS metrics", Arrival);

        Assert.All(receiver.Exports, e => Assert.Equal("primary-secret", e.Headers.GetValueOrDefault("x-otlp-api-key")));
        Assert.All(receiver.Exports, e => Assert.Equal("application/grpc", e.Headers.GetValueOrDefault("content-type")));
        Assert.True(hanging.Connections > 0, "the additional exporters never tried the hanging endpoint");
    }

    [Fact]
    public async Task An_additional_endpoint_gets_everything_while_the_primary_is_down_and_never_its_headers()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var env = FastExport(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otlp-api-key=primary-secret",
            ["LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS"] = receiver.Url,
            ["LGTMLAB_OTLP_ADDITIONAL_PROTOCOL"] = "http/protobuf",
        });
        await using var db = await TnsProcess.StartAsync("db", env: new Dictionary<string, string>(env) { ["OTEL_SERVICE_NAME"] = "tns-db" });
        await using var app = await TnsProcess.StartAsync("app", [db.Url], env);
        using var http = new HttpClient();

        (await http.GetAsync(app.Url + "/")).EnsureSuccessStatusCode();

        await receiver.WaitUntilAsync(r => r.Spans.Any(s => s.Service == "app" && s.Name == "HTTP GET - root")
            && r.Spans.Any(s => s.Service == "tns-db" && s.Name == "HTTP GET - root"), "app's and db's server spans", Arrival);
        await receiver.WaitUntilAsync(r => r.Logs.Any(l => l.Service == "tns-db"), "db's logs", Arrival);
        await receiver.WaitUntilAsync(r => r.Metrics.Any(m => m.Service == "app" && m.Metric == "tns_request_duration_seconds"), "app's metrics", Arrival);
        Assert.All(receiver.Exports, e => Assert.False(e.Headers.ContainsKey("x-otlp-api-key"), "the primary's API key went to another endpoint"));
    }

    [Fact]
    public async Task An_endpoint_that_is_down_does_not_slow_requests()
    {
        using var hanging = new HangingEndpoint();
        await using var receiver = await OtlpReceiver.StartAsync();

        var baseline = await MeasureAsync(new Dictionary<string, string> { ["Tns__Db__FaultWindow"] = "never" });
        var withDownEndpoint = await MeasureAsync(FastExport(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS"] = hanging.Url,
        }));

        output.WriteLine($"GET / on app (-> db), 200 sequential requests after 50 warm-up:");
        output.WriteLine($"  no OTLP:                         median {baseline.Median:F2} ms, p95 {baseline.P95:F2} ms");
        output.WriteLine($"  OTLP primary up + one hanging:   median {withDownEndpoint.Median:F2} ms, p95 {withDownEndpoint.P95:F2} ms");
        Assert.True(hanging.Connections > 0, "the exporters never tried the hanging endpoint");
        // Generous: the claim is "no blocking" (an export timeout is 3 s), not a benchmark.
        Assert.True(withDownEndpoint.Median < baseline.Median * 3 + 20,
            $"median {withDownEndpoint.Median:F2} ms with a hanging endpoint vs {baseline.Median:F2} ms without");
        Assert.True(withDownEndpoint.P95 < 1000, $"p95 {withDownEndpoint.P95:F2} ms: a request waited on an export");
    }

    private static async Task<(double Median, double P95)> MeasureAsync(Dictionary<string, string> env)
    {
        await using var db = await TnsProcess.StartAsync("db", ["-log.level=info"], env);
        await using var app = await TnsProcess.StartAsync("app", ["-log.level=info", db.Url], env);
        using var http = new HttpClient();
        for (var i = 0; i < 50; i++)
            (await http.GetAsync(app.Url + "/")).EnsureSuccessStatusCode();

        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var watch = Stopwatch.StartNew();
            (await http.GetAsync(app.Url + "/")).EnsureSuccessStatusCode();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[(int)(times.Count * 0.95)]);
    }

    /// <summary>lb's HTTP Client > lb's HTTP GET (client) > app's HTTP GET - root (server) > app's HTTP Client >
    /// app's HTTP GET (client) > db's HTTP GET - root (server), all in one trace.</summary>
    private static List<OtlpSpan>? FindConnectedTrace(List<OtlpSpan> spans)
    {
        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        foreach (var dbServer in spans.Where(s => s.Service == "db" && s.Name == "HTTP GET - root" && s.Kind == OtlpSpan.KindServer))
        {
            var chain = new List<OtlpSpan> { dbServer };
            var current = dbServer;
            while (current.ParentSpanId.Length > 0 && byId.TryGetValue(current.ParentSpanId, out var parent))
            {
                chain.Insert(0, parent);
                current = parent;
            }
            var shape = chain.Select(s => (s.Service, s.Name, s.Kind)).ToList();
            if (shape.SequenceEqual([
                    ("lb", "HTTP Client", OtlpSpan.KindInternal), ("lb", "HTTP GET", OtlpSpan.KindClient),
                    ("app", "HTTP GET - root", OtlpSpan.KindServer), ("app", "HTTP Client", OtlpSpan.KindInternal),
                    ("app", "HTTP GET", OtlpSpan.KindClient), ("db", "HTTP GET - root", OtlpSpan.KindServer)])
                && chain.All(s => s.TraceId == dbServer.TraceId))
                return chain;
        }
        return null;
    }
}
