using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Steps;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>Adds steps and resources for one part of the lab (Linkerd, LGTM, TNS, ...) to a <see cref="LabPlan"/>.</summary>
internal interface ILabPlanContribution
{
    void AddTo(LabPlanBuilder plan);
}

/// <summary>Collects the steps and dashboard resources of a lab while it is planned.</summary>
internal sealed class LabPlanBuilder(LabServices lab)
{
    private readonly List<Step> _steps = [];
    private readonly List<LabResource> _resources = [];

    public LabServices Lab => lab;
    public LabTopology Topology => lab.Topology;
    public IReadOnlyList<Step> Steps => _steps;
    public IReadOnlyList<LabResource> Resources => _resources;

    public LabPlanBuilder AddStep(Step step)
    {
        _steps.Add(step);
        return this;
    }

    /// <summary>Adds properties read each time the resource is published (e.g. the mesh's issuer warning on its cluster).</summary>
    public LabPlanBuilder AddLiveProperties(string resourceName, Func<IReadOnlyDictionary<string, string>> properties)
    {
        var index = _resources.FindIndex(r => r.Name == resourceName);
        if (index < 0)
            throw new InvalidOperationException($"no lab resource is named '{resourceName}'");
        var earlier = _resources[index].LiveProperties;
        _resources[index] = _resources[index] with
        {
            LiveProperties = earlier is null ? properties : () => earlier().Concat(properties()).ToDictionary(p => p.Key, p => p.Value),
        };
        return this;
    }

    public LabPlanBuilder AddResource(LabResource resource)
    {
        if (_resources.Any(r => r.Name == resource.Name))
            throw new InvalidOperationException($"two lab resources are named '{resource.Name}'");
        _resources.Add(resource);
        return this;
    }
}

/// <summary>
/// The lab as a step graph and a list of dashboard resources, built from the validated configuration and the
/// pinned versions: kind clusters, routes between them, MetalLB; later components plug in as contributions.
/// </summary>
internal sealed class LabPlan
{
    private LabPlan(StepGraph graph, IReadOnlyList<LabResource> resources)
    {
        Graph = graph;
        Resources = resources;
    }

    public StepGraph Graph { get; }
    public IReadOnlyList<LabResource> Resources { get; }

    public static LabPlan Build(LabServices lab, IEnumerable<ILabPlanContribution>? contributions = null)
    {
        var plan = new LabPlanBuilder(lab);
        AddClusters(plan);
        if (lab.Topology.Components.MetalLb) AddMetalLb(plan);
        foreach (var contribution in contributions ?? []) contribution.AddTo(plan);

        var graph = new StepGraph(plan.Steps);
        var orphan = graph.Steps.FirstOrDefault(s => plan.Resources.All(r => r.Name != s.ResourceName));
        if (orphan is not null)
            throw new InvalidOperationException($"step '{orphan.Id}' drives resource '{orphan.ResourceName}', which the plan does not declare");
        return new LabPlan(graph, plan.Resources);
    }

    private static void AddClusters(LabPlanBuilder plan)
    {
        var lab = plan.Lab;
        var clusters = lab.Topology.Clusters;
        foreach (var cluster in clusters)
        {
            var step = new KindClusterStep(cluster, lab);
            plan.AddStep(step).AddResource(new LabResource(cluster.Name, null, "KindCluster", new Dictionary<string, string>
            {
                ["role"] = cluster.Role.ToString(),
                ["context"] = cluster.KubeContext,
                ["tenant"] = cluster.Tenant,
                ["podSubnet"] = cluster.PodSubnet.ToString(),
                ["serviceSubnet"] = cluster.ServiceSubnet.ToString(),
                ["nodeImage"] = lab.Versions.NodeImage,
                ["hostPorts"] = string.Join(", ", cluster.PortMappings),
                ["kindVersion"] = lab.Versions.Tool("kind").Version,
            }));
        }
        foreach (var cluster in clusters)
        {
            plan.AddStep(new NodeRoutesStep(cluster, clusters, lab)).AddResource(new LabResource(StepIds.Resource(cluster.Name, "routes"), cluster.Name, "Routes",
                new Dictionary<string, string>
                {
                    ["routes"] = string.Join(", ", clusters.Where(o => o.Name != cluster.Name).Select(o => $"{o.Name} pods ({o.PodSubnet}) via its node")),
                }));
        }
    }

    private static void AddMetalLb(LabPlanBuilder plan)
    {
        var lab = plan.Lab;
        var chart = lab.Versions.Chart("metallb");
        foreach (var cluster in lab.Topology.Clusters)
        {
            var spec = new HelmReleaseSpec(cluster, "metallb", "metallb", MetalLbPoolStep.Namespace, chart, [lab.Assets.HelmValues("metallb")]);
            plan.AddStep(new HelmReleaseStep(spec, lab))
                .AddStep(new MetalLbPoolStep(cluster, lab))
                .AddResource(new LabResource(StepIds.Resource(cluster.Name, "metallb"), cluster.Name, "HelmRelease", new Dictionary<string, string>
                {
                    ["chart"] = chart.Chart,
                    ["version"] = chart.Version,
                    ["repo"] = chart.Repo,
                    ["namespace"] = MetalLbPoolStep.Namespace,
                    ["values"] = "lab-assets/helm/metallb.yaml",
                    ["pool"] = $"{LoadBalancerPools.Describe(cluster.Index)} of the kind network (L2)",
                }));
        }
    }
}
