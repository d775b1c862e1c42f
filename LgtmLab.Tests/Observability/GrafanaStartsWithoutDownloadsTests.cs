using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Observability;

/// <summary>
/// Grafana's start never depends on a download: the chart (12.11.1, templates/_config.tpl download_dashboards.sh)
/// fetches every dashboard with a <c>gnetId</c> or <c>url</c> in an init container under <c>set -euf</c> and
/// <c>curl -f</c>, so one missing revision or URL fails the pod and <c>helm --wait</c> times out.
/// </summary>
public sealed class GrafanaStartsWithoutDownloadsTests
{
    [Fact]
    public void No_dashboard_in_the_values_the_lab_gives_the_chart_is_downloaded()
    {
        var assets = Path.Combine(Path.GetTempPath(), "lgtmlab-grafana-" + Guid.NewGuid().ToString("N"));
        TnsDashboardFixture.WriteStandIn(assets);
        try
        {
            var files = new[]
            {
                ("lab-assets/helm/grafana.yaml", LabAssets.LoadMapping("helm/grafana.yaml")),
                ("generated overlay", LabAssets.ParseMapping(GrafanaValues.For(new LabOptions(), assets), "grafana overlay")),
            };
            foreach (var (name, values) in files)
            {
                if (LabAssets.At(values, "dashboards") is not YamlMappingNode providers) continue;
                foreach (var (provider, dashboards) in providers.Children)
                    foreach (var (key, dashboard) in ((YamlMappingNode)dashboards).Children)
                    {
                        var fields = ((YamlMappingNode)dashboard).Children.Keys.Select(k => k.ToString()).ToList();
                        Assert.False(fields.Contains("gnetId") || fields.Contains("url"),
                            $"{name}: dashboards.{provider}.{key} is downloaded when Grafana starts ({string.Join(", ", fields)})");
                    }
            }
        }
        finally
        {
            Directory.Delete(assets, recursive: true);
        }
    }
}
