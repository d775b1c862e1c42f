using k8s.Models;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Lgtm;

/// <summary>
/// Downloads the dashboards of lab-assets/dashboards.yaml (cached in the state folder) and writes each into its
/// ConfigMap in Grafana's namespace, through the Kubernetes API, before Grafana's release. Grafana mounts them as
/// optional volumes (GrafanaValues.cs), so one that could not be downloaded is only a warning on the Grafana
/// resource naming it: the step still succeeds and Grafana starts without it. Use Retry once it is fixed.
/// Check and Apply each resolve the dashboards themselves (the cache makes the second one read files only); a
/// dashboard that could not be had is asked for again by each, and warned about once.
/// </summary>
internal sealed class GrafanaDashboardsStep(ClusterSpec central, DashboardCatalog catalog, IReadOnlyList<string> dependsOn, LabServices lab) : Step
{
    public const string Component = "grafana-dashboards";
    public const string ComponentLabel = "app.kubernetes.io/component";
    private static readonly HttpClient Http = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    public override string Id => StepIds.Release(central.Name, Component);
    public override string ResourceName => StepIds.Resource(central.Name, "grafana");
    public override IReadOnlyList<string> DependsOn => dependsOn;
    public override string Fingerprint => Provisioning.Fingerprint.Of(
        [.. catalog.All.Select(d => (d.ConfigMapName, d.Source.DownloadUrl(d.Name).ToString())), ("datasource", Datasource.Uid)]);

    /// <summary>What the dashboards' data-source variable is set to: the lab's default Mimir data source (all tenants).</summary>
    public GrafanaDatasource Datasource =>
        GrafanaDatasources.For(lab.Topology.Options, lab.Assets).FirstOrDefault(d => d.IsDefault && d.Type == GrafanaDatasources.MimirType)
        ?? throw new InvalidDataException($"{lab.Assets.PathOf(GrafanaDatasources.TemplatePath)} has no default Mimir data source (type {GrafanaDatasources.MimirType}, isDefault: true): the downloaded dashboards point at it; set isDefault on one.");

    private DashboardDownloader Downloader => new(Http, lab.Topology.StateDirectory, lab.Topology.Options.DashboardsBaseUrl, lab.Retry);

    public override async Task<bool> CheckAsync(StepContext context)
    {
        var configMaps = ConfigMaps;
        foreach (var wanted in await WantedAsync(context).ConfigureAwait(false))
            if (!await configMaps.HoldAsync(wanted, context.CancellationToken).ConfigureAwait(false)) return false;
        return true;
    }

    public override async Task ApplyAsync(StepContext context)
    {
        var configMaps = ConfigMaps;
        foreach (var wanted in await WantedAsync(context).ConfigureAwait(false))
            await configMaps.CreateOrReplaceAsync(wanted, context.Logger, context.CancellationToken).ConfigureAwait(false);
    }

    public override string? HintFor(Exception failure) =>
        $"check the ConfigMaps with `kubectl --context {central.KubeContext} -n {GrafanaAccess.Namespace} get configmaps -l {ComponentLabel}={Component}`, then use Retry on {ResourceName}";

    private NamespacedObjects<V1ConfigMap> ConfigMaps => NamespacedObjects.ConfigMaps(lab.Kubernetes.For(central.KubeContext), GrafanaAccess.Namespace);

    /// <summary>The ConfigMaps of the dashboards that could be had (downloading what is not cached); a warning on the
    /// context for each that could not.</summary>
    private async Task<IReadOnlyList<V1ConfigMap>> WantedAsync(StepContext context)
    {
        var downloader = Downloader;
        var datasource = Datasource;
        var downloads = await Task.WhenAll(catalog.All.Select(d => downloader.GetAsync(d, context.Logger, context.CancellationToken))).ConfigureAwait(false);
        var configMaps = new List<V1ConfigMap>();
        foreach (var download in downloads)
        {
            string? json = null;
            var problem = download.Problem;
            if (download.Json is { } raw)
            {
                try
                {
                    json = DashboardDatasource.Resolve(raw, datasource);
                }
                catch (System.Text.Json.JsonException e)
                {
                    problem = $"{download.Dashboard}: the download in {downloader.CacheFile(download.Dashboard)} is not dashboard JSON ({e.Message}); delete that file and use Retry on {ResourceName}";
                }
            }
            if (json is null)
            {
                if (context.Warnings.Add($"dashboard not provisioned: {problem}"))
                    context.Logger.LogWarning("Dashboard not provisioned: {Problem}", problem);
                continue;
            }
            configMaps.Add(ConfigMap(download.Dashboard, json));
        }
        return configMaps;
    }

    private static V1ConfigMap ConfigMap(PinnedDashboard dashboard, string json) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = dashboard.ConfigMapName,
            NamespaceProperty = GrafanaAccess.Namespace,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "lgtmlab", [ComponentLabel] = Component },
            Annotations = new Dictionary<string, string> { ["lgtmlab.io/dashboard-source"] = dashboard.Source.Describe(dashboard.Name) },
        },
        Data = new Dictionary<string, string> { [dashboard.FileName] = json },
    };
}
