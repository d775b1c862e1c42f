using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;

namespace LgtmLab.AppHost.Lgtm;

/// <summary>
/// The LGTM stack and its agents (<c>Lab:Components:Lgtm</c>): on every cluster its observability namespaces,
/// Prometheus and Alloy; on central also Traefik, Mimir (manifests), Loki, Tempo and Grafana (with its admin and
/// TLS Secrets, and the dashboards the lab downloads). Every component is a child resource of its cluster, healthy only while its own readiness
/// endpoint answers; Grafana's resource shows its URLs and a smoke-query command.
/// </summary>
internal sealed class LgtmContribution : ILabPlanContribution
{
    public const string MimirConfigComponent = "mimir-config";
    public const string MimirConfigFile = "manifests/mimir/config.yaml", MimirFile = "manifests/mimir/mimir.yaml";

    public void AddTo(LabPlanBuilder plan)
    {
        if (!plan.Topology.Components.Lgtm) return;
        foreach (var cluster in plan.Topology.Clusters)
            AddCluster(plan, cluster);
    }

    private static void AddCluster(LabPlanBuilder plan, ClusterSpec cluster)
    {
        var lab = plan.Lab;
        var options = lab.Topology.Options;
        var clusterOptions = cluster.Role == ClusterRole.Central
            ? options.Central
            : options.EffectiveRemotes.Single(r => r.Name == cluster.Name);
        bool InPlan(string id) => plan.Steps.Any(s => s.Id == id);
        IEnumerable<string> IfPlanned(params string[] ids) => ids.Where(InPlan);

        var namespaces = ObservabilityNamespaces.For(clusterOptions, options.Central);
        var meshed = !plan.Topology.Components.Linkerd ? []
            : cluster.Role == ClusterRole.Central ? LgtmService.Exported.Select(s => s.Namespace).ToHashSet()
            : namespaces.ToHashSet();
        var namespacesStep = new NamespacesStep(cluster, namespaces, meshed,
            [StepIds.Cluster(cluster.Name), .. IfPlanned(StepIds.Release(cluster.Name, "linkerd-control-plane"))], lab);
        plan.AddStep(namespacesStep).AddResource(new LabResource(namespacesStep.ResourceName, cluster.Name, "Namespaces", new Dictionary<string, string>
        {
            ["namespaces"] = string.Join(", ", namespaces),
            ["meshed"] = meshed.Count == 0 ? "none (Linkerd is off)" : string.Join(", ", namespaces.Where(meshed.Contains)),
        }));
        string[] afterNamespaces = [namespacesStep.Id];

        foreach (var component in ObservabilityComponents.For(options, clusterOptions))
        {
            var dependsOn = component.Name switch
            {
                "traefik" => [.. afterNamespaces, .. IfPlanned(StepIds.MetalLbPool(cluster.Name))],
                "prometheus" or "alloy" when cluster.Role == ClusterRole.Remote => [.. afterNamespaces, .. IfPlanned(StepIds.Link(cluster.Name))],
                _ => afterNamespaces,
            };
            DashboardCatalog? catalog = null;
            if (component.Name == "grafana")
            {
                catalog = lab.Assets.LoadDashboards();
                var secrets = new GrafanaSecretsStep(cluster, afterNamespaces, lab);
                // Before the release, so Grafana starts with them; it does not need them to start (optional volumes).
                var dashboards = new GrafanaDashboardsStep(cluster, catalog, afterNamespaces, lab);
                plan.AddStep(secrets).AddStep(dashboards);
                dependsOn = [.. dependsOn, secrets.Id, dashboards.Id];
            }

            var properties = component.ManifestsDirectory is null
                ? AddRelease(plan, cluster, component, dependsOn)
                : AddMimir(plan, cluster, component, dependsOn);
            properties["namespace"] = component.Namespace;
            if (component.Name is "prometheus" or "alloy")
                properties["tenant"] = Tenants.Of(clusterOptions);
            else if (component.Name != "traefik")
                properties["tenant"] = $"all ({string.Join(", ", Tenants.All(options))})";
            properties["readiness"] = $"{component.Readiness.Service}:{component.Readiness.Port}{component.Readiness.Path} via the API server's service proxy";
            if (LgtmService.Exported.Any(s => s.Name == component.Name))
                properties["exported"] = $"mirror.linkerd.io/exported=true: remotes reach it as {LgtmService.Exported.First(s => s.Name == component.Name).MirrorHost(cluster.Name)}";

            var resource = new LabResource(component.ResourceName, cluster.Name, component.ManifestsDirectory is null ? "HelmRelease" : "Manifests", properties)
            {
                Probe = token => ProbeAsync(lab, cluster, component.Readiness, token),
            };
            if (catalog is not null)
                resource = GrafanaResource.Describe(resource, lab, cluster, catalog);
            plan.AddResource(resource);
        }
    }

    private static Dictionary<string, string> AddRelease(LabPlanBuilder plan, ClusterSpec cluster, ObservabilityComponent component, IReadOnlyList<string> dependsOn)
    {
        var lab = plan.Lab;
        var chart = lab.Versions.Chart(component.Chart!);
        var files = component.ValuesFiles.Select(f => Path.Combine(lab.Assets.Directory, f)).ToList();
        var generatedFile = Path.Combine(lab.ClusterDirectory(cluster.Name), "values", $"{component.Name}.yaml");
        // Generated when planned, so a generation error stops the lab before anything changes; written at apply time.
        var generated = component.GenerateValues?.Invoke(lab.Assets.Directory);

        var spec = new HelmReleaseSpec(cluster, component.Name, component.Name, component.Namespace, chart, files)
        {
            DependsOn = dependsOn,
            GeneratedValues = generated is null ? [] : [new GeneratedValues(generatedFile, _ => generated)],
        };
        plan.AddStep(new HelmReleaseStep(spec, lab));

        return new Dictionary<string, string>
        {
            ["chart"] = chart.Chart,
            ["version"] = chart.Version,
            ["repo"] = chart.Repo,
            ["values"] = string.Join(", ", component.ValuesFiles.Select(f => $"lab-assets/{f}")
                .Concat(component.GenerateValues is null ? [] : [$"{generatedFile} (generated)"])),
        };
    }

    private static Dictionary<string, string> AddMimir(LabPlanBuilder plan, ClusterSpec cluster, ObservabilityComponent component, IReadOnlyList<string> dependsOn)
    {
        var lab = plan.Lab;
        var configFile = Path.Combine(lab.Assets.Directory, MimirConfigFile);
        var config = new ManifestStep(new ManifestSpec(cluster, MimirConfigComponent, configFile, new Dictionary<string, string>())
        {
            DependsOn = dependsOn,
            ResourceName = component.ResourceName,
        }, lab);
        var mimir = new ManifestStep(new ManifestSpec(cluster, component.Name, Path.Combine(lab.Assets.Directory, MimirFile),
            new Dictionary<string, string> { ["configHash"] = Fingerprint.OfFile(configFile) })
        {
            DependsOn = [config.Id],
            ResourceName = component.ResourceName,
        }, lab);
        plan.AddStep(config).AddStep(mimir);
        return new Dictionary<string, string>
        {
            ["manifests"] = $"lab-assets/{MimirConfigFile}, lab-assets/{MimirFile}",
            ["mode"] = "monolithic (-target=all), classic architecture, filesystem storage",
        };
    }

    private static async Task<LabProbeResult> ProbeAsync(LabServices lab, ClusterSpec cluster, ReadinessEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (!lab.Kubernetes.HasContext(cluster.KubeContext))
            return LabProbeResult.Fail($"the kubeconfig has no context {cluster.KubeContext}: the cluster is gone; use Retry or Recreate on {cluster.Name}");
        return await ReadinessProbe.CheckAsync(lab.Kubernetes.For(cluster.KubeContext), endpoint, cancellationToken).ConfigureAwait(false);
    }
}
