using System.Text.Json.Nodes;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Tools;

namespace LgtmLab.Tests.Lgtm;

/// <summary>
/// Issue 11, defect 5: the lab downloads the pinned Linkerd and Mimir dashboards itself (retried, cached in its
/// state folder) and hands them to Grafana as ConfigMaps; one it cannot download is a warning on the Grafana
/// resource naming it, and Grafana is installed all the same. grafana.com and GitHub are an ArtifactServer on 127.0.0.1.
/// </summary>
public sealed class GrafanaDashboardsTests : IAsyncLifetime
{
    private const string StepId = "lgtm-central/" + GrafanaDashboardsStep.Component;
    private const string GrafanaResourceName = "lgtm-central-grafana";

    /// <summary>The shape of Linkerd's grafana.com exports (linkerd2 edge-26.8.3 grafana/dashboards/top-line.json): an
    /// <c>__inputs</c> data source named datasource, a templating variable of that name, panels reading <c>${datasource}</c>.</summary>
    private const string LinkerdStyle = """
        {"__inputs": [{"name": "datasource", "label": "prometheus", "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"}],
         "title": "TITLE", "uid": "UID",
         "panels": [{"title": "p", "datasource": {"type": "prometheus", "uid": "${datasource}"}, "targets": [{"expr": "up"}]}],
         "templating": {"list": [{"name": "datasource", "type": "datasource", "query": "prometheus", "current": {"text": "default", "value": "default"}}]}}
        """;

    /// <summary>A grafana.com export whose input has no variable: only Grafana's import dialog would fill <c>${DS_PROMETHEUS}</c> in.</summary>
    private const string InputOnlyStyle = """
        {"__inputs": [{"name": "DS_PROMETHEUS", "type": "datasource", "pluginId": "prometheus"}],
         "title": "TITLE", "uid": "UID",
         "panels": [{"title": "p", "datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}, "targets": [{"expr": "up"}]}]}
        """;

    private ArtifactServer _server = null!;
    private static readonly IReadOnlyList<PinnedDashboard> Pinned = DashboardCatalog.Load(Observability.LabAssets.PathOf(DashboardCatalog.FileName)).All;

    public async Task InitializeAsync()
    {
        _server = await ArtifactServer.StartAsync();
        foreach (var dashboard in Pinned)
            _server.Serve(PathOf(dashboard), (dashboard.Folder == "mimir" ? InputOnlyStyle : LinkerdStyle)
                .Replace("TITLE", dashboard.Name, StringComparison.Ordinal).Replace("UID", dashboard.ConfigMapName, StringComparison.Ordinal));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string PathOf(PinnedDashboard dashboard) => dashboard.Source.DownloadUrl(dashboard.Name).AbsolutePath;

    private LgtmContractLab Lab()
    {
        var lab = LgtmContractLab.Create();
        lab.Lab.Set("Lab:DashboardsBaseUrl", _server.Url.ToString());
        return lab;
    }

    [Fact]
    public void The_pinned_linkerd_dashboards_are_the_revisions_linkerd_edge_26_8_3_pins()
    {
        // linkerd2 edge-26.8.3 grafana/values.yaml, dashboards.default
        Assert.Equal(
            ["/api/dashboards/15474/revisions/4/download", "/api/dashboards/15486/revisions/3/download", "/api/dashboards/15478/revisions/3/download",
             "/api/dashboards/15475/revisions/6/download", "/api/dashboards/15477/revisions/3/download", "/api/dashboards/15488/revisions/3/download"],
            new[] { "top-line", "health", "namespace", "deployment", "pod", "multicluster" }
                .Select(name => PathOf(Pinned.Single(d => d.Folder == "linkerd" && d.Name == name))));
    }

    [Fact]
    public async Task Dashboards_are_downloaded_once_and_a_later_run_makes_no_request()
    {
        await using var lab = Lab();

        LgtmContractLab.AllSucceeded(await lab.RunAsync());
        Assert.Equal(Pinned.Select(PathOf).Order(), _server.Requests.Order());
        Assert.Null(lab.Progress.Reports.LastOrDefault(r => r.StepId == StepId)?.Warning);

        var outcomes = await lab.RunAsync();

        LgtmContractLab.AllSucceeded(outcomes);
        Assert.Equal(Pinned.Count, _server.Requests.Count);
        Assert.Null(outcomes[StepId].Warning);
        foreach (var dashboard in Pinned)
            Assert.NotNull(lab.Central.Api!.Get("v1", "ConfigMap", GrafanaAccess.Namespace, dashboard.ConfigMapName));
    }

    [Fact]
    public async Task A_revision_grafana_com_does_not_have_leaves_grafana_installed_and_its_resource_warns_naming_the_dashboard()
    {
        var missing = Pinned.Single(d => d.Source.GnetId == 15488);
        _server.FailNext(PathOf(missing), times: int.MaxValue, status: 404);
        await using var lab = Lab();

        var outcomes = await lab.RunAsync();

        LgtmContractLab.AllSucceeded(outcomes);
        Assert.Contains(lab.Central.Releases, r => r.Name == "grafana");
        // A 404 is not retried; Check and Apply each resolve the dashboards themselves, so each asks once.
        Assert.Equal(2, _server.Requests.Count(r => r == PathOf(missing)));
        var warning = outcomes[StepId].Warning;
        Assert.NotNull(warning);
        Assert.Contains("Linkerd/multicluster (grafana.com 15488 r3)", warning, StringComparison.Ordinal);
        Assert.Contains("404", warning, StringComparison.Ordinal);
        Assert.Contains($"lab-assets/{DashboardCatalog.FileName}", warning, StringComparison.Ordinal);
        Assert.Null(lab.Central.Api!.Get("v1", "ConfigMap", GrafanaAccess.Namespace, missing.ConfigMapName));
        Assert.NotNull(lab.Central.Api!.Get("v1", "ConfigMap", GrafanaAccess.Namespace, Pinned.First(d => d != missing).ConfigMapName));
        AssertResourceWarns(lab, "Linkerd/multicluster (grafana.com 15488 r3)");
    }

    [Fact]
    public async Task Unreachable_download_servers_leave_grafana_installed_and_its_resource_warns_naming_every_dashboard()
    {
        await using var lab = LgtmContractLab.Create();

        var outcomes = await lab.RunAsync();

        LgtmContractLab.AllSucceeded(outcomes);
        Assert.Contains(lab.Central.Releases, r => r.Name == "grafana");
        var warning = outcomes[StepId].Warning!;
        foreach (var dashboard in Pinned)
            Assert.Contains(dashboard.ToString(), warning, StringComparison.Ordinal);
        Assert.Contains("could not reach", warning, StringComparison.Ordinal);
        AssertResourceWarns(lab, "Linkerd/top-line (grafana.com 15474 r4)");
    }

    [Fact]
    public async Task A_transient_5xx_is_retried_and_the_dashboard_is_provisioned()
    {
        var flaky = Pinned.Single(d => d.Source.GnetId == 15474);
        _server.FailNext(PathOf(flaky), times: 2, status: 503);
        await using var lab = Lab();

        var outcomes = await lab.RunAsync();

        LgtmContractLab.AllSucceeded(outcomes);
        Assert.Null(outcomes[StepId].Warning);
        Assert.Equal(3, _server.Requests.Count(r => r == PathOf(flaky)));
        Assert.NotNull(lab.Central.Api!.Get("v1", "ConfigMap", GrafanaAccess.Namespace, flaky.ConfigMapName));
    }

    [Fact]
    public async Task The_configmaps_carry_the_dashboards_pointed_at_the_labs_mimir_and_grafana_mounts_each_optionally()
    {
        await using var lab = Lab();

        LgtmContractLab.AllSucceeded(await lab.RunAsync());

        var datasource = GrafanaDatasources.For(new LabOptions(), Observability.LabAssets.Product).Single(d => d.Name == "Mimir (all tenants)");
        var topLine = Dashboard(lab, Pinned.Single(d => d.Source.GnetId == 15474));
        Assert.Null(topLine["__inputs"]);
        var variable = topLine["templating"]!["list"]!.AsArray().Single(v => (string?)v!["name"] == "datasource")!;
        Assert.Equal(datasource.Uid, (string?)variable["current"]!["value"]);
        Assert.Equal("${datasource}", (string?)topLine["panels"]![0]!["datasource"]!["uid"]);

        var mimir = Dashboard(lab, Pinned.First(d => d.Folder == "mimir"));
        Assert.Equal(datasource.Uid, (string?)mimir["panels"]![0]!["datasource"]!["uid"]);
        Assert.DoesNotContain("${", mimir.ToJsonString(), StringComparison.Ordinal);

        var values = lab.Central.Releases.Single(r => r.Name == "grafana").Values!;
        var mounts = values["extraConfigmapMounts"]!.AsArray();
        foreach (var dashboard in Pinned)
        {
            var mount = mounts.Single(m => (string?)m!["configMap"] == dashboard.ConfigMapName)!;
            Assert.True((bool)mount["optional"]!, $"{dashboard.ConfigMapName} must be optional, or Grafana cannot start without it");
            var provider = values["dashboardProviders"]!["dashboardproviders.yaml"]!["providers"]!.AsArray()
                .Single(p => (string?)p!["options"]!["path"] == (string?)mount["mountPath"])!;
            Assert.Equal(dashboard.FolderTitle, (string?)provider["folder"]);
        }
    }

    private static JsonNode Dashboard(LgtmContractLab lab, PinnedDashboard dashboard)
    {
        var configMap = lab.Central.Api!.Get("v1", "ConfigMap", GrafanaAccess.Namespace, dashboard.ConfigMapName)!;
        return JsonNode.Parse((string)configMap["data"]![dashboard.FileName]!)!;
    }

    /// <summary>What the dashboard shows for Grafana: Running in the warning style, with a Warning property naming the dashboard.</summary>
    private static void AssertResourceWarns(LgtmContractLab lab, string dashboard)
    {
        var latest = lab.Progress.Reports.Where(r => r.ResourceName == GrafanaResourceName)
            .GroupBy(r => r.StepId).Select(g => g.Last())
            .Select(r => new StepOutcome(r.StepId, r.ResourceName, r.Status, r.Message, false, 0, TimeSpan.Zero, Warning: r.Warning)).ToList();
        var status = LabResourceStatus.Summarize(latest);
        Assert.Equal(LabResourcePhase.Running, status.Phase);
        var state = LabSnapshots.StateOf(status);
        Assert.Equal(KnownResourceStates.Running, state.Text);
        Assert.Equal(KnownResourceStateStyles.Warn, state.Style);
        var definition = new LabResource(GrafanaResourceName, "lgtm-central", "HelmRelease", new Dictionary<string, string>());
        var snapshot = LabSnapshots.Apply(LabSnapshots.Initial(definition), definition, status);
        var property = snapshot.Properties.Single(p => p.Name == LabSnapshots.WarningProperty);
        Assert.Contains(dashboard, (string)property.Value!, StringComparison.Ordinal);
        Assert.Equal(KnownResourceStateStyles.Warn, snapshot.State?.Style);
    }
}
