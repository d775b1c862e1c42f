using System.Text.RegularExpressions;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;

namespace LgtmLab.AppHost.Workloads;

/// <summary>
/// Plans the workloads of the lab (the user's and the lab's own, like TNS) with the steps the lab's components use:
/// a Helm chart through <see cref="HelmReleaseStep"/>, a folder through <see cref="ManifestFolderStep"/>, a project
/// through <see cref="ProjectImageStep"/> then <see cref="ManifestStep"/>. Each waits for its cluster and, when the
/// plan has them on that cluster, for Linkerd's control plane (to be meshed) and Alloy (to take its OTLP).
/// Add it after the mesh and LGTM contributions, whose steps it looks for.
/// </summary>
internal sealed partial class WorkloadContribution(IReadOnlyList<LabWorkload> workloads) : ILabPlanContribution
{
    /// <summary>Alloy's in-cluster OTLP gRPC receiver (the LGTM part's <c>alloy</c> release in <c>observability</c>).</summary>
    public static readonly string AlloyOtlpEndpoint =
        $"http://alloy.{ObservabilityNamespaces.Observability}.svc.cluster.local:{AlloyConfig.OtlpGrpcPort}";

    public IReadOnlyList<LabWorkload> Workloads => workloads;

    public void AddTo(LabPlanBuilder plan)
    {
        Validate(plan.Topology);
        var images = new Dictionary<string, ProjectImage>(StringComparer.Ordinal);
        foreach (var workload in workloads)
        {
            var cluster = plan.Topology.Clusters.Single(c => c.Name == workload.Cluster);
            switch (workload)
            {
                case HelmChartWorkload chart: AddChart(plan, cluster, chart); break;
                case ManifestsWorkload folder: AddFolder(plan, cluster, folder); break;
                case ProjectWorkload project: AddProject(plan, cluster, project, images); break;
                default: throw new NotSupportedException($"{workload.GetType().Name} is not a kind of workload the lab plans");
            }
        }
    }

    private static void AddChart(LabPlanBuilder plan, ClusterSpec cluster, HelmChartWorkload workload)
    {
        var lab = plan.Lab;
        var chart = new ChartVersion { Repo = workload.Repo, Chart = workload.Chart, Version = workload.Version };
        var spec = new HelmReleaseSpec(cluster, workload.Name, workload.Name, workload.Namespace, chart, workload.ValuesFiles)
        {
            DependsOn = [StepIds.Cluster(cluster.Name), .. EarlierSteps(plan, cluster)],
            ResourceName = workload.ResourceName,
        };
        plan.AddStep(new HelmReleaseStep(spec, lab)).AddResource(new LabResource(workload.ResourceName, cluster.Name, "HelmRelease", new Dictionary<string, string>
        {
            ["chart"] = workload.Chart,
            ["version"] = workload.Version,
            ["repo"] = workload.Repo,
            ["namespace"] = workload.Namespace,
            ["values"] = workload.ValuesFiles.Count == 0 ? "(chart defaults)" : string.Join(", ", workload.ValuesFiles),
        })
        {
            Probe = token => WorkloadReadiness.ProbeAsync(lab.Kubernetes.For(cluster.KubeContext), [workload.Namespace], token),
        });
    }

    private static void AddFolder(LabPlanBuilder plan, ClusterSpec cluster, ManifestsWorkload workload)
    {
        var lab = plan.Lab;
        var step = new ManifestFolderStep(cluster, workload, [StepIds.Cluster(cluster.Name), .. EarlierSteps(plan, cluster)], lab);
        plan.AddStep(step).AddResource(new LabResource(workload.ResourceName, cluster.Name, "Manifests", new Dictionary<string, string>
        {
            ["folder"] = workload.Directory,
        })
        {
            Probe = token => WorkloadReadiness.ProbeAsync(lab.Kubernetes.For(cluster.KubeContext), Namespaces(step), token),
        });
    }

    /// <summary>The namespaces the folder's objects go to (read when the probe runs, after the step has read the folder).</summary>
    private static IReadOnlyList<string> Namespaces(ManifestFolderStep step) =>
        [.. ManifestFolderStep.Objects(step.Content)
            .Select(o => o.Kind == "Namespace" && o.ApiVersion == "v1" ? o.Name : o.Namespace ?? "default")
            .Distinct(StringComparer.Ordinal)];

    private static void AddProject(LabPlanBuilder plan, ClusterSpec cluster, ProjectWorkload workload, Dictionary<string, ProjectImage> images)
    {
        var lab = plan.Lab;
        var components = plan.Topology.Components;
        var repository = workload.EffectiveImageRepository;
        if (!images.TryGetValue(repository, out var image))
        {
            image = new ProjectImage(new ProjectSource(workload.ProjectPath), repository, workload.BaseImage ?? lab.Versions.Image("projectBase"), plan.Topology.StateDirectory);
            images[repository] = image;
        }
        var template = workload.ManifestTemplate ?? ProjectWorkload.DefaultManifestTemplate;
        var templateFile = Path.IsPathRooted(template) ? template : lab.Assets.Manifest(template);
        var otlp = components.Lgtm ? AlloyOtlpEndpoint : "";
        var imageStep = new ProjectImageStep(cluster, workload.Name, workload.ResourceName, image, lab);
        var manifest = new ManifestSpec(cluster, workload.Name, templateFile, new Dictionary<string, string>
        {
            ["name"] = workload.Name,
            ["namespace"] = workload.EffectiveNamespace,
            ["cluster"] = cluster.Name,
            ["tenant"] = cluster.Tenant,
            ["inject"] = components.Linkerd ? "enabled" : "disabled",
            ["otlpEndpoint"] = otlp,
        })
        {
            DependsOn = [imageStep.Id, .. EarlierSteps(plan, cluster)],
            ResourceName = workload.ResourceName,
            FileName = workload.Name + ".yaml",
            // The tag of the sources as of this run: the one the image step (which runs first) built and loaded.
            ResolvedVariables = new Dictionary<string, Func<string>> { ["image"] = () => image.Reference },
        };
        plan.AddStep(imageStep)
            .AddStep(new ManifestStep(manifest, lab))
            .AddResource(new LabResource(workload.ResourceName, cluster.Name, "Workload", new Dictionary<string, string>
            {
                ["project"] = workload.ProjectPath,
                ["namespace"] = workload.EffectiveNamespace,
                ["baseImage"] = image.BaseImage,
                ["manifest"] = workload.ManifestTemplate is { } given && Path.IsPathRooted(given) ? given : "lab-assets/manifests/" + template,
                ["otlp"] = components.Lgtm ? AlloyOtlpEndpoint : "(LGTM off: none)",
                ["tenant"] = cluster.Tenant,
            })
            {
                Probe = token => WorkloadReadiness.ProbeAsync(lab.Kubernetes.For(cluster.KubeContext), [workload.EffectiveNamespace], token),
                // Read at each publish: after a Retry that rebuilt the image, its new tag.
                LiveProperties = () => new Dictionary<string, string> { ["image"] = image.LastReference },
            });
    }

    /// <summary>Alloy (to send OTLP to) and Linkerd's control plane (to inject the proxies), when the plan has them.</summary>
    private static IEnumerable<string> EarlierSteps(LabPlanBuilder plan, ClusterSpec cluster) =>
        new[] { StepIds.Release(cluster.Name, "alloy"), StepIds.Release(cluster.Name, "linkerd-control-plane") }
            .Where(id => plan.Steps.Any(s => s.Id == id));

    // A DNS-1123 label: it names a namespace, an image repository and a Helm release.
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$")]
    private static partial Regex WorkloadName();

    private void Validate(LabTopology topology)
    {
        var errors = new List<ConfigurationError>();
        foreach (var workload in workloads)
        {
            var key = $"workload {workload.ResourceName}";
            if (topology.Clusters.All(c => c.Name != workload.Cluster))
                errors.Add(new(key, $"it is on cluster '{workload.Cluster}', which the lab does not have (it has {string.Join(", ", topology.Clusters.Select(c => c.Name))})",
                    "put it on one of the lab's clusters"));
            if (!WorkloadName().IsMatch(workload.Name))
                errors.Add(new(key, $"'{workload.Name}' is not a valid workload name", "use lowercase letters, digits and '-' (at most 40, starting and ending with a letter or digit)"));
            if (workload is HelmChartWorkload { ValuesFiles: var values } && values.FirstOrDefault(f => !Path.IsPathRooted(f)) is { } relative)
                errors.Add(new(key, $"the values file '{relative}' is not an absolute path", "pass absolute paths (e.g. Path.Combine(builder.AppHostDirectory, ...))"));
        }
        foreach (var duplicate in workloads.GroupBy(w => w.ResourceName).Where(g => g.Count() > 1))
            errors.Add(new($"workload {duplicate.Key}", "two workloads have this name on the same cluster", "give each workload of a cluster its own name"));
        foreach (var clash in workloads.OfType<ProjectWorkload>().GroupBy(w => w.EffectiveImageRepository)
                     .Where(g => g.Select(w => Path.GetFullPath(w.ProjectPath)).Distinct(StringComparer.Ordinal).Count() > 1))
            errors.Add(new($"workload {clash.First().ResourceName}", $"projects {string.Join(" and ", clash.Select(w => w.ProjectPath).Distinct())} would both be the image {clash.Key}",
                "give the workloads different names (or set ImageRepository)"));
        if (errors.Count > 0) throw new LabConfigurationException(errors);
    }
}
