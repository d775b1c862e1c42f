using k8s;
using k8s.Autorest;
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
/// </summary>
public sealed class GrafanaDashboardsStep(ClusterSpec central, DashboardCatalog catalog, IReadOnlyList<string> dependsOn, LabServices lab) : Step
{
    public const string Component = "grafana-dashboards";
    public const string ComponentLabel = "app.kubernetes.io/component";
    private static readonly HttpClient Http = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    private (StepContext Context, IReadOnlyList<V1ConfigMap> ConfigMaps)? _resolved;

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
        foreach (var wanted in await WantedAsync(context).ConfigureAwait(false))
        {
            var current = await ReadAsync(wanted.Metadata.Name, context.CancellationToken).ConfigureAwait(false);
            if (current?.Data is not { } data || !SameData(data, wanted.Data)) return false;
        }
        return true;
    }

    public override async Task ApplyAsync(StepContext context)
    {
        var client = Client;
        foreach (var wanted in await WantedAsync(context).ConfigureAwait(false))
        {
            var name = wanted.Metadata.Name;
            var current = await ReadAsync(name, context.CancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                await client.CoreV1.CreateNamespacedConfigMapAsync(wanted, GrafanaAccess.Namespace, cancellationToken: context.CancellationToken).ConfigureAwait(false);
                context.Logger.LogInformation("Created ConfigMap {Namespace}/{Name}", GrafanaAccess.Namespace, name);
            }
            else if (current.Data is not { } data || !SameData(data, wanted.Data))
            {
                wanted.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
                await client.CoreV1.ReplaceNamespacedConfigMapAsync(wanted, name, GrafanaAccess.Namespace, cancellationToken: context.CancellationToken).ConfigureAwait(false);
                context.Logger.LogInformation("Updated ConfigMap {Namespace}/{Name}", GrafanaAccess.Namespace, name);
            }
        }
    }

    public override string? HintFor(Exception failure) =>
        $"check the ConfigMaps with `kubectl --context {central.KubeContext} -n {GrafanaAccess.Namespace} get configmaps -l {ComponentLabel}={Component}`, then use Retry on {ResourceName}";

    private IKubernetes Client => lab.Kubernetes.For(central.KubeContext);

    /// <summary>The ConfigMaps of the dashboards that could be had; a warning on the context for each that could not.
    /// Resolved once per attempt (Check and Apply share it), so nothing is downloaded or warned about twice.</summary>
    private async Task<IReadOnlyList<V1ConfigMap>> WantedAsync(StepContext context)
    {
        if (_resolved is { } resolved && ReferenceEquals(resolved.Context, context))
            return resolved.ConfigMaps;

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
                context.Logger.LogWarning("Dashboard not provisioned: {Problem}", problem);
                context.Warnings.Add($"dashboard not provisioned: {problem}");
                continue;
            }
            configMaps.Add(ConfigMap(download.Dashboard, json));
        }
        _resolved = (context, configMaps);
        return configMaps;
    }

    private async Task<V1ConfigMap?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.CoreV1.ReadNamespacedConfigMapAsync(name, GrafanaAccess.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
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

    private static bool SameData(IDictionary<string, string> current, IDictionary<string, string> wanted) =>
        current.Count == wanted.Count && wanted.All(w => current.TryGetValue(w.Key, out var have) && have == w.Value);
}
