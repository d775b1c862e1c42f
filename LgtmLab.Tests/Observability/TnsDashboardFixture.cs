using LgtmLab.AppHost.Observability;

namespace LgtmLab.Tests.Observability;

/// <summary>
/// A lab-assets folder for generators that read the TNS dashboard: the repository's when the dashboard is
/// there, otherwise a temporary copy of lab-assets with a small stand-in dashboard (another part of the lab
/// writes the real one).
/// </summary>
internal static class TnsDashboardFixture
{
    public const string StandInJson = """{"title": "Demo App", "uid": "tns-demo-app", "panels": [{"title": "QPS", "targets": [{"expr": "sum by (status_code) (rate(tns_request_duration_seconds_count{job=~\"$namespace/app\"}[$__rate_interval]))", "legendFormat": "{{status_code}}"}]}]}""";

    private static readonly Lazy<string> Assets = new(Create);

    public static string AssetsWithDashboard() => Assets.Value;

    private static string Create()
    {
        if (File.Exists(LabAssets.PathOf(GrafanaValues.TnsDashboardPath)))
            return LabAssets.Directory;
        var dir = Path.Combine(Path.GetTempPath(), "lgtmlab-assets-" + Guid.NewGuid().ToString("N"));
        WriteStandIn(dir);
        return dir;
    }

    public static void WriteStandIn(string assetsDirectory)
    {
        var file = Path.Combine(assetsDirectory, GrafanaValues.TnsDashboardPath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, StandInJson);
        File.Copy(LabAssets.PathOf(AppHost.Configuration.DashboardCatalog.FileName), Path.Combine(assetsDirectory, AppHost.Configuration.DashboardCatalog.FileName), overwrite: true);
        var datasources = Path.Combine(assetsDirectory, GrafanaDatasources.TemplatePath);
        Directory.CreateDirectory(Path.GetDirectoryName(datasources)!);
        File.Copy(LabAssets.PathOf(GrafanaDatasources.TemplatePath), datasources, overwrite: true);
    }
}
