using System.Text.RegularExpressions;
using LgtmLab.Tests.Dashboards;
using LgtmLab.Tests.Infrastructure;
using LgtmLab.Tests.Tns;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Local;

/// <summary>The three TNS roles as real processes, scraped by a real Prometheus, queried with the dashboard's own PromQL.</summary>
public class TnsPrometheusTests(ITestOutputHelper output)
{
    [RequiresToolFact("prometheus")]
    public async Task Every_Demo_App_dashboard_query_returns_data_once_loadgen_has_run()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;

        // Real processes on 127.0.0.1 and ports the OS picks (the TNS tests' launcher); db keeps TNS's fault window.
        await using var db = await TnsProcess.StartAsync("db");
        await using var app = await TnsProcess.StartAsync("app", [db.Url]);
        await using var loadgen = await TnsProcess.StartAsync("loadgen", [app.Url]);
        await using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, string>
        {
            ["tns/db"] = db.BaseUrl.Authority,
            ["tns/app"] = app.BaseUrl.Authority,
            ["tns/loadgen"] = loadgen.BaseUrl.Authority,
        }, ct);

        var dashboard = DemoAppDashboard.Load();
        var pending = dashboard.Queries(@namespace: "tns", rateInterval: "1m").ToList();
        var started = DateTime.UtcNow;
        while (pending.Count > 0 && DateTime.UtcNow - started < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            foreach (var query in pending.ToList())
            {
                var samples = await prometheus.QueryAsync(query.PromQl, ct);
                // A rate over too few scrapes is empty and a quantile over no increase is NaN: both mean "no data yet".
                if (samples.Any(s => double.IsFinite(s.Value)))
                {
                    output.WriteLine($"{DateTime.UtcNow - started:ss\\.f}s  {query.Where}: {string.Join(", ", samples.Select(Describe))}");
                    pending.Remove(query);
                }
            }
        }

        Assert.True(pending.Count == 0,
            $"dashboard queries without data after 60 s:\n{string.Join('\n', pending.Select(q => $"  {q.Where}: {q.PromQl}"))}\n"
            + $"targets: {await prometheus.TargetsAsync(ct)}\n{Tail(db)}\n{Tail(app)}\n{Tail(loadgen)}");

        // The namespace variable: Grafana lists `job` values and keeps what its regex captures; it must offer "tns".
        var variable = dashboard.Json["templating"]!["list"]!.AsArray().Single(v => (string?)v!["name"] == "namespace")!;
        var regex = new Regex(((string)variable["regex"]!).Trim('/'));
        var jobs = (await prometheus.QueryAsync("count by (job) (tns_request_duration_seconds_count)", ct))
            .Select(s => s.Labels["job"]).ToList();
        Assert.Equal(["tns/app", "tns/db", "tns/loadgen"], jobs.Order());
        Assert.Equal(["tns"], jobs.Select(j => regex.Match(j)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct());
    }

    private static string Tail(TnsProcess process) => $"--- {process.Url} ---\n{string.Join('\n', process.Lines.TakeLast(20))}";

    private static string Describe(PromSample sample) =>
        $"{string.Join(",", sample.Labels.Select(l => $"{l.Key}={l.Value}"))}={sample.Value:G3}";
}
