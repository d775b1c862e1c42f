using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Dashboards;

public class DemoAppDashboardTests
{
    private static readonly (string Row, string Service)[] ExpectedRows = [("Load balancer", "loadgen"), ("App", "app"), ("DB", "db")];

    [Fact]
    public void Is_a_Grafana_dashboard_titled_Demo_App_with_datasource_and_namespace_variables()
    {
        var json = DemoAppDashboard.Load().Json;

        Assert.Equal("Demo App", (string?)json["title"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)json["uid"]));
        Assert.True((int)json["schemaVersion"]! >= 36, "schemaVersion must be one current Grafana reads without migration");

        var variables = json["templating"]!["list"]!.AsArray().Select(v => v!.AsObject()).ToDictionary(v => (string)v["name"]!);
        Assert.Equal("datasource", (string?)variables["datasource"]["type"]);
        Assert.Equal("prometheus", (string?)variables["datasource"]["query"]);

        var ns = variables["namespace"];
        Assert.Equal("query", (string?)ns["type"]);
        Assert.True((bool)ns["multi"]! && (bool)ns["includeAll"]!, "namespace must allow several namespaces and All");
        Assert.Equal(".+", (string?)ns["allValue"]);
    }

    [Fact]
    public void Has_the_rows_Load_balancer_App_DB_each_with_a_QPS_and_a_Latency_panel()
    {
        var rows = DemoAppDashboard.Load().Rows();

        Assert.Equal(ExpectedRows.Select(r => r.Row), rows.Select(r => r.Title));
        foreach (var (title, panels) in rows)
        {
            Assert.Equal(["QPS", "Latency"], panels.Select(p => (string)p["title"]!));

            var qps = panels[0];
            Assert.Equal("{{status_code}}", (string?)qps["targets"]![0]!["legendFormat"]);
            Assert.Equal("normal", (string?)qps["fieldConfig"]!["defaults"]!["custom"]!["stacking"]!["mode"]);

            var latency = panels[1];
            Assert.Equal("s", (string?)latency["fieldConfig"]!["defaults"]!["unit"]);
            var targets = latency["targets"]!.AsArray();
            Assert.Equal(["99th Percentile", "50th Percentile", "Average"], targets.Select(t => (string)t!["legendFormat"]!));
            Assert.All(targets, t => Assert.True((bool?)t!["exemplar"] == true, $"{title} latency: exemplars must be on"));
        }
    }

    [Fact]
    public void Every_query_selects_its_row_service_by_the_namespace_slash_service_job_label()
    {
        foreach (var (row, panels) in DemoAppDashboard.Load().Rows())
        {
            var service = ExpectedRows.Single(r => r.Row == row).Service;
            foreach (var expr in panels.SelectMany(p => p["targets"]!.AsArray()).Select(t => (string)t!["expr"]!))
            {
                Assert.Contains($"job=~\"$namespace/{service}\"", expr);
                Assert.Contains("[$__rate_interval]", expr);
                foreach (var other in ExpectedRows.Where(r => r.Service != service))
                    Assert.DoesNotContain($"/{other.Service}\"", expr);
            }
        }
    }

    [Fact]
    public void Panels_have_unique_ids_and_use_the_datasource_variable()
    {
        var panels = DemoAppDashboard.Load().Panels;

        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        foreach (var panel in panels.Where(p => (string?)p["type"] != "row"))
        {
            Assert.Equal("${datasource}", (string?)panel["datasource"]!["uid"]);
            Assert.All(panel["targets"]!.AsArray(), t => Assert.Equal("${datasource}", (string?)t!["datasource"]!["uid"]));
        }
    }

    [RequiresToolFact("promtool")]
    public async Task Every_query_parses_as_PromQL()
    {
        var queries = DemoAppDashboard.Load().Queries();
        Assert.Equal(ExpectedRows.Length * 4, queries.Count); // per row: one QPS query and three latency queries

        // promtool has no "parse this expression" command, but it parses every expr of a rules file; JSON is YAML.
        var rules = new JsonObject
        {
            ["groups"] = new JsonArray(new JsonObject
            {
                ["name"] = "demo-app-dashboard",
                ["rules"] = new JsonArray([.. queries.Select((q, i) => (JsonNode)new JsonObject
                {
                    ["record"] = $"dashboard_query_{i}",
                    ["expr"] = q.PromQl,
                })]),
            }),
        };
        var file = Path.Combine(Path.GetTempPath(), $"lgtmlab-dashboard-rules-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, rules.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        try
        {
            using var promtool = Process.Start(new ProcessStartInfo(ToolPath.Require("promtool"), ["check", "rules", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stdout = promtool.StandardOutput.ReadToEndAsync();
            var stderr = promtool.StandardError.ReadToEndAsync();
            await promtool.WaitForExitAsync();

            var output = await stdout + await stderr;
            Assert.True(promtool.ExitCode == 0, $"promtool rejected a dashboard query:\n{output}");
            Assert.Contains($"SUCCESS: {queries.Count} rules found", output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
