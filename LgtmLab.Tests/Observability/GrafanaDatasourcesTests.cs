using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Observability;

/// <summary>
/// The provisioned data sources, read back from the provisioning YAML Grafana gets: one set per tenant plus
/// the federated set, central's service names (Grafana runs on central), tenant headers, and the links between
/// each set's Mimir, Loki and Tempo.
/// </summary>
public sealed class GrafanaDatasourcesTests
{
    private static LabOptions ThreeRemotes() => new()
    {
        Remotes =
        [
            new ClusterOptions { Name = "lgtm-remote" },
            new ClusterOptions { Name = "edge-1", Tenant = "t1" },
            new ClusterOptions { Name = "edge-2", Tenant = "t2" },
        ],
    };

    [Fact]
    public void Default_lab_has_local_remote_and_all_tenants_sets()
    {
        var sources = Provisioned(new LabOptions());

        Assert.Equal(
            [
                "Mimir Local", "Loki Local", "Tempo Local",
                "Mimir Remote (lgtm-remote)", "Loki Remote (lgtm-remote)", "Tempo Remote (lgtm-remote)",
                "Mimir (all tenants)", "Loki (all tenants)", "Tempo (all tenants)",
            ],
            sources.Select(s => Str(s, "name")));
        Assert.Equal(
            ["mimir-local", "loki-local", "tempo-local", "mimir-remote-lgtm-remote", "loki-remote-lgtm-remote",
             "tempo-remote-lgtm-remote", "mimir-all", "loki-all", "tempo-all"],
            sources.Select(s => Str(s, "uid")));

        AssertSet(sources, "Local", "central");
        AssertSet(sources, "Remote (lgtm-remote)", "lgtm-remote");
        AssertSet(sources, "(all tenants)", "central|lgtm-remote");
        Assert.Equal("Mimir (all tenants)", Str(Assert.Single(sources, s => Str(s, "isDefault") == "true"), "name"));
    }

    [Fact]
    public void Three_remotes_get_a_set_each_named_after_their_tenant_and_join_the_federated_set()
    {
        var sources = Provisioned(ThreeRemotes());

        Assert.Equal(15, sources.Count);
        AssertSet(sources, "Local", "central");
        AssertSet(sources, "Remote (lgtm-remote)", "lgtm-remote");
        AssertSet(sources, "Remote (t1)", "t1");
        AssertSet(sources, "Remote (t2)", "t2");
        AssertSet(sources, "(all tenants)", "central|lgtm-remote|t1|t2");
        Assert.Equal("tempo-remote-t1", Str(ByName(sources, "Tempo Remote (t1)"), "uid"));
        Assert.Equal(sources.Count, sources.Select(s => Str(s, "uid")).Distinct().Count());
    }

    [Fact]
    public void Urls_are_centrals_own_service_names_never_mirrors()
    {
        foreach (var source in Provisioned(ThreeRemotes()))
        {
            var url = Str(source, "url");
            Assert.DoesNotContain("lgtm-central.", url);
            Assert.Equal(Str(source, "type") switch
            {
                "prometheus" => "http://mimir.mimir.svc.cluster.local:8080/prometheus",
                "loki" => "http://loki.loki.svc.cluster.local:3100",
                "tempo" => "http://tempo.tempo.svc.cluster.local:3200",
                var other => throw new Xunit.Sdk.XunitException($"unexpected type {other}"),
            }, url);
        }
    }

    [Fact]
    public void Long_or_odd_tenants_still_give_valid_distinct_uids()
    {
        var lab = new LabOptions
        {
            Remotes =
            [
                new ClusterOptions { Name = "a", Tenant = "team.alpha(prod)" },
                new ClusterOptions { Name = "b", Tenant = new string('x', 60) + "1" },
                new ClusterOptions { Name = "c", Tenant = new string('x', 60) + "2" },
            ],
        };
        var uids = Provisioned(lab).Select(s => Str(s, "uid")).ToList();
        Assert.All(uids, uid => Assert.Matches("^[A-Za-z0-9_-]{1,40}$", uid));
        Assert.Equal(uids.Count, uids.Distinct().Count());
    }

    [Fact]
    public void Tenants_that_differ_only_in_punctuation_are_rejected_before_grafana_sees_them()
    {
        var lab = new LabOptions
        {
            Remotes = [new ClusterOptions { Name = "a", Tenant = "team.a" }, new ClusterOptions { Name = "b", Tenant = "team(a" }],
        };
        var error = Assert.Throws<ArgumentException>(() => GrafanaDatasources.For(lab, LabAssets.Product));
        Assert.Contains("mimir-remote-team-a", error.Message);
        Assert.Contains("Lab:Remotes:N:Tenant", error.Message);
    }

    [Fact]
    public void Grafana_values_overlay_carries_the_datasources_and_the_tns_dashboard()
    {
        var assets = Path.Combine(Path.GetTempPath(), "lgtmlab-grafana-" + Guid.NewGuid().ToString("N"));
        TnsDashboardFixture.WriteStandIn(assets);
        try
        {
            var values = LabAssets.ParseMapping(GrafanaValues.For(new LabOptions(), assets), "grafana overlay");
            var doc = LabAssets.At(values, "datasources", "datasources.yaml")!;
            Assert.Equal("1", LabAssets.ScalarAt(doc, "apiVersion"));
            Assert.Equal(9, ((YamlSequenceNode)LabAssets.At(doc, "datasources")!).Children.Count);
            Assert.Equal(TnsDashboardFixture.StandInJson, LabAssets.ScalarAt(values, "dashboards", "tns", "demo-app", "json"));
        }
        finally
        {
            Directory.Delete(assets, recursive: true);
        }
    }

    [Fact]
    public void Grafana_values_without_the_tns_dashboard_say_which_file_is_missing()
    {
        var empty = Path.Combine(Path.GetTempPath(), "lgtmlab-empty-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<FileNotFoundException>(() => GrafanaValues.For(new LabOptions(), empty));
        Assert.Contains("dashboards/tns-demo-app.json", error.Message);
    }

    /// <summary>Checks one tenant's Mimir/Loki/Tempo: types, tenant header, and that every link stays inside the set.</summary>
    private static void AssertSet(IReadOnlyList<YamlMappingNode> sources, string label, string tenant)
    {
        var mimir = ByName(sources, $"Mimir {label}");
        var loki = ByName(sources, $"Loki {label}");
        var tempo = ByName(sources, $"Tempo {label}");
        var (mimirUid, lokiUid, tempoUid) = (Str(mimir, "uid"), Str(loki, "uid"), Str(tempo, "uid"));

        Assert.Equal(("prometheus", "loki", "tempo"), (Str(mimir, "type"), Str(loki, "type"), Str(tempo, "type")));
        foreach (var source in new[] { mimir, loki, tempo })
        {
            Assert.Equal("proxy", Str(source, "access"));
            Assert.Equal("X-Scope-OrgID", LabAssets.ScalarAt(source, "jsonData", "httpHeaderName1"));
            Assert.Equal(tenant, LabAssets.ScalarAt(source, "secureJsonData", "httpHeaderValue1"));
        }

        // metrics -> traces: the OTel exemplar label, to this set's Tempo.
        var exemplar = Assert.Single(Seq(mimir, "jsonData", "exemplarTraceIdDestinations"));
        Assert.Equal("trace_id", LabAssets.ScalarAt(exemplar, "name"));
        Assert.Equal(tempoUid, LabAssets.ScalarAt(exemplar, "datasourceUid"));

        // logs -> traces: TNS's logfmt traceID=<32 hex> matches, and the link goes to this set's Tempo.
        var derived = Seq(loki, "jsonData", "derivedFields");
        var logfmt = Assert.Single(derived, f => LabAssets.ScalarAt(f, "matcherType") is null);
        var regex = new System.Text.RegularExpressions.Regex(LabAssets.ScalarAt(logfmt, "matcherRegex")!);
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Assert.Equal(traceId, regex.Match($"level=info traceID={traceId} msg=\"GET /\" status_code=200").Groups[1].Value);
        Assert.Equal("$${__value.raw}", LabAssets.ScalarAt(logfmt, "url"));
        Assert.All(derived, f => Assert.Equal(tempoUid, LabAssets.ScalarAt(f, "datasourceUid")));

        // traces -> logs and metrics, service map, log search: this set's Loki and Mimir.
        Assert.Equal(lokiUid, LabAssets.ScalarAt(tempo, "jsonData", "tracesToLogsV2", "datasourceUid"));
        Assert.Equal("true", LabAssets.ScalarAt(tempo, "jsonData", "tracesToLogsV2", "filterByTraceID"));
        Assert.Equal(mimirUid, LabAssets.ScalarAt(tempo, "jsonData", "tracesToMetrics", "datasourceUid"));
        Assert.All(Seq(tempo, "jsonData", "tracesToMetrics", "queries"),
            q => Assert.Contains("$$__tags", LabAssets.ScalarAt(q, "query")));
        Assert.Equal(mimirUid, LabAssets.ScalarAt(tempo, "jsonData", "serviceMap", "datasourceUid"));
        Assert.Equal(lokiUid, LabAssets.ScalarAt(tempo, "jsonData", "lokiSearch", "datasourceUid"));
    }

    private static IReadOnlyList<YamlMappingNode> Provisioned(LabOptions lab)
    {
        var doc = LabAssets.ParseMapping(GrafanaDatasources.ProvisioningYaml(lab, LabAssets.Product), "datasources.yaml");
        Assert.Equal("1", LabAssets.ScalarAt(doc, "apiVersion"));
        return Seq(doc, "datasources");
    }

    private static YamlMappingNode ByName(IReadOnlyList<YamlMappingNode> sources, string name) =>
        Assert.Single(sources, s => Str(s, "name") == name);

    private static IReadOnlyList<YamlMappingNode> Seq(YamlNode node, params string[] path) =>
        [.. Assert.IsType<YamlSequenceNode>(LabAssets.At(node, path)).Children.Cast<YamlMappingNode>()];

    private static string Str(YamlNode node, string key) =>
        LabAssets.ScalarAt(node, key) ?? throw new Xunit.Sdk.XunitException($"no {key} in {node}");
}
