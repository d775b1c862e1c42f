using Aspire.Hosting.Testing;
using LgtmLab.Tests.Infrastructure;
using LgtmLab.Tests.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Local;

/// <summary>The whole AppHost under Aspire.Hosting.Testing: the local TNS half as a newcomer gets it with F5.</summary>
[Collection(AppHostCollection.Name)]
public class TnsAppHostTests(ITestOutputHelper output)
{
    private const string Db = TnsProjectsBuilderExtensions.DbResourceName;
    private const string App = TnsProjectsBuilderExtensions.AppResourceName;
    private const string Loadgen = TnsProjectsBuilderExtensions.LoadgenResourceName;

    [Fact]
    public async Task Tns_projects_get_healthy_serve_Grafana_News_and_export_one_trace_through_loadgen_app_and_db()
    {
        // A guard against hangs only: an idle 2-core machine needs well under a minute.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var otlp = await OtlpReceiver.StartAsync();

        // The cluster half is off so that this test is about the local projects only.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LgtmLab_AppHost>(["--Lab:Enabled=false"], ct);
        foreach (var name in new[] { Db, App, Loadgen })
        {
            // Added after the AppHost's own settings, so these win: every role exports to this test's receiver,
            // over OTLP/gRPC as Aspire configures it for the dashboard.
            builder.CreateResourceBuilder<ProjectResource>(name)
                .WithEndpoint("http", endpoint => endpoint.Port = FreePort.Next()) // not TNS's 8000-8002: may be taken
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.GrpcUrl)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "500");
        }
        builder.TurnOffDbOutage();
        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);

        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var name in new[] { Db, App, Loadgen })
        {
            await notifications.WaitForResourceHealthyAsync(name, ct);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s {name} healthy");
        }

        using var http = app.CreateHttpClient(App, "http");
        var page = await http.GetStringAsync("/", ct);
        Assert.Contains("Grafana News", page);

        // Loadgen sends about ten requests a second and the exporters flush every 500 ms.
        string? chain = null;
        var traceDeadline = clock.Elapsed + TimeSpan.FromSeconds(60);
        while (chain is null && clock.Elapsed < traceDeadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            chain = FindLoadgenAppDbTrace([.. otlp.Spans]);
        }
        var spans = otlp.Spans.ToList();
        var services = spans.Select(s => s.Service).Distinct().Order().ToList();
        Assert.True(chain is not null,
            $"no trace within 60 s with a db span whose ancestors include app and loadgen spans; got {spans.Count} spans from "
            + $"[{string.Join(", ", services)}] in {otlp.Exports.Count} OTLP exports");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s trace: {chain}");
        Assert.Equal([App, Db, Loadgen], services.Where(s => s.StartsWith("tns-", StringComparison.Ordinal)));
    }

    /// <summary>A db server span, walked up through its parents, that reaches an app span and then a loadgen span.</summary>
    private static string? FindLoadgenAppDbTrace(IReadOnlyList<OtlpSpan> spans)
    {
        foreach (var trace in spans.GroupBy(s => s.TraceId))
        {
            var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
            foreach (var dbSpan in trace.Where(s => s.Service == Db && s.Kind == OtlpSpan.KindServer))
            {
                var path = new List<OtlpSpan> { dbSpan };
                for (var span = dbSpan; byId.TryGetValue(span.ParentSpanId, out var parent); span = parent)
                    path.Add(parent);

                var order = path.Select(s => s.Service).Reverse().Distinct().ToList();
                if (order.SequenceEqual([Loadgen, App, Db]))
                    return $"{trace.Key}: " + string.Join(" -> ", path.AsEnumerable().Reverse().Select(s => $"{s.Service}:'{s.Name}'"));
            }
        }
        return null;
    }
}
