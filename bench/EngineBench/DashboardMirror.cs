using LgtmLab.AppHost.Configuration;
using LgtmLab.Tests.Tools;

namespace EngineBench;

/// <summary>
/// grafana.com and GitHub for the pinned dashboards, on 127.0.0.1 (Lab:DashboardsBaseUrl), as the Grafana
/// dashboard tests serve them: each pinned path answers a small dashboard shaped like Linkerd's grafana.com exports.
/// </summary>
internal static class DashboardMirror
{
    // linkerd2 edge-26.8.3 grafana/dashboards/top-line.json: an __inputs data source named datasource and a variable of that name.
    private const string WithVariable = """
        {"__inputs": [{"name": "datasource", "label": "prometheus", "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"}],
         "title": "TITLE", "uid": "UID",
         "panels": [{"title": "p", "datasource": {"type": "prometheus", "uid": "${datasource}"}, "targets": [{"expr": "up"}]}],
         "templating": {"list": [{"name": "datasource", "type": "datasource", "query": "prometheus", "current": {"text": "default", "value": "default"}}]}}
        """;

    public static async Task<ArtifactServer> StartAsync(LabAssets assets)
    {
        var server = await ArtifactServer.StartAsync();
        foreach (var dashboard in assets.LoadDashboards().All)
            server.Serve(dashboard.Source.DownloadUrl(dashboard.Name).AbsolutePath,
                WithVariable.Replace("TITLE", dashboard.Name, StringComparison.Ordinal).Replace("UID", dashboard.ConfigMapName, StringComparison.Ordinal));
        return server;
    }
}
