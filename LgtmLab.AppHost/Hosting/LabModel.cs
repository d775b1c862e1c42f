using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// The lab as the hosting layer sees it. While the app model is built it only collects what the verbs say
/// (clusters, which parts they run, the user's workloads); nothing is read, written or started. When the app
/// starts, <see cref="LabProvisioner"/> turns it into a topology and a controller and binds each resource to the
/// engine's description of it (<see cref="Bind"/>).
/// </summary>
internal sealed class LabModel
{
    private readonly Dictionary<string, IResource> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LabResource> _definitions = new(StringComparer.Ordinal);
    private ILabController? _controller;

    public LabModel(LabOptions options, Func<LabModel, ILabController> controllerFactory)
    {
        Options = options;
        ControllerFactory = controllerFactory;
    }

    /// <summary>The <c>Lab</c> configuration section; the verbs fill in its clusters and components.</summary>
    public LabOptions Options { get; }

    /// <summary>Builds the engine once the app runs (the real <see cref="LabController"/>, or a test's stand-in).</summary>
    public Func<LabModel, ILabController> ControllerFactory { get; }

    /// <summary>The lab resource; null when the lab is disabled.</summary>
    public KindLabResource? Resource { get; set; }

    public ILabController Controller => _controller ?? throw new InvalidOperationException("The lab has not started yet: its controller is built when the app starts.");

    public bool IsBound => _controller is not null;

    /// <summary>What the lab is doing right now (e.g. "Recreate cluster lgtm-central"), as the controller's gate
    /// says; null when idle.</summary>
    public string? CurrentOperation => _controller?.Gate.CurrentOperation;

    /// <summary>Told of every change of a step's record in the controller's store (set by the hosting layer).</summary>
    public Action<StepRecord?, StepRecord>? StepChanged { get; set; }

    public List<KindClusterResource> Clusters { get; } = [];

    /// <summary>The zip of the last diagnostics bundle (Collect diagnostics); null before the first.</summary>
    public string? LastDiagnostics { get => Volatile.Read(ref _lastDiagnostics); set => Volatile.Write(ref _lastDiagnostics, value); }
    private string? _lastDiagnostics;

    /// <summary>Republishes a resource's state (set by the hosting layer): called when its live properties may have changed.</summary>
    public Action<string>? PropertiesChanged { get; set; }

    public List<LabComponentResource> Components { get; } = [];

    /// <summary>Remotes whose link to central was asked for (<c>LinkTo</c>).</summary>
    public HashSet<string> LinkedRemotes { get; } = new(StringComparer.Ordinal);

    /// <summary>True once <c>WithLgtmStack</c> was called on central (and the configuration does not turn it off).</summary>
    public bool HasLgtmStack { get; set; }

    /// <summary>Grafana's admin password, an Aspire secret parameter; set by <c>WithLgtmStack</c>.</summary>
    public ParameterResource? GrafanaAdminPassword { get; set; }

    /// <summary>The user's workloads (<c>WithHelmRelease</c>, <c>WithManifests</c>, <c>WithProject</c>), in the order added.</summary>
    public List<Workloads.LabWorkload> Workloads { get; } = [];

    /// <summary>Remotes that run TNS (<c>WithTns</c>).</summary>
    public HashSet<string> TnsRemotes { get; } = new(StringComparer.Ordinal);

    /// <summary>Every resource of the lab: the lab itself, its clusters, then their components.</summary>
    public IEnumerable<IResource> All =>
        (Resource is null ? [] : new IResource[] { Resource }).Concat(Clusters).Concat(Components);

    /// <summary>Cluster and component resources: the ones the engine's steps drive.</summary>
    public IEnumerable<IResource> Provisioned => Clusters.Cast<IResource>().Concat(Components);

    public KindClusterResource? Central => Clusters.FirstOrDefault(c => c.Role == ClusterRole.Central);

    public IEnumerable<KindClusterResource> Remotes => Clusters.Where(c => c.Role == ClusterRole.Remote);

    public void Add(KindClusterResource cluster)
    {
        _byName.Add(cluster.Name, cluster);
        Clusters.Add(cluster);
    }

    public void Add(LabComponentResource component)
    {
        _byName.Add(component.Name, component);
        Components.Add(component);
    }

    public bool Has(string name) => _byName.ContainsKey(name) || Resource?.Name == name;

    public IResource? Find(string name) => Resource?.Name == name ? Resource : _byName.GetValueOrDefault(name);

    /// <summary>The engine's description of the resource (kind, properties, actions, probe); null before start.</summary>
    public LabResource? DefinitionOf(string name)
    {
        lock (_definitions)
            return _definitions.GetValueOrDefault(name);
    }

    /// <summary>Where the resource stands, computed from the controller's step records; for the lab resource, the
    /// sum of every step of the lab.</summary>
    public LabResourceStatus StatusOf(string name) =>
        _controller is not { } controller ? LabResourceStatus.NotStarted
        : Resource?.Name == name ? LabStatusProjection.Overall(controller.Outcomes)
        : LabStatusProjection.Of(controller.Outcomes, name);

    /// <summary>The cluster and every component installed into it.</summary>
    public IEnumerable<IResource> ClusterAndComponents(string clusterName) =>
        Provisioned.Where(r => r.Name == clusterName || (r is LabComponentResource c && c.Cluster.Name == clusterName));

    /// <summary>
    /// Adopts the controller and its description of every resource. The engine's plan and the app model must
    /// name the same resources: a mismatch is a composition error, reported with what to call.
    /// </summary>
    public void Bind(ILabController controller, LabResource labDefinition)
    {
        var planned = controller.Resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var missing = planned.Keys.Where(n => !_byName.ContainsKey(n)).ToList();
        var unplanned = _byName.Keys.Where(n => !planned.ContainsKey(n)).ToList();
        if (missing.Count > 0 || unplanned.Count > 0)
            throw new InvalidOperationException(
                $"The lab's resources and its plan disagree: the plan has {Describe(missing)} that the app model lacks, and the app model has {Describe(unplanned)} that the plan lacks. "
                + "Every remote must be linked to central (remote.LinkTo(central)) while Linkerd is on, and every part a cluster runs must be added through the lab's verbs.");
        lock (_definitions)
        {
            foreach (var (name, definition) in planned) _definitions[name] = definition;
            _definitions[labDefinition.Name] = labDefinition;
        }
        controller.Outcomes.Changed += (previous, current) => StepChanged?.Invoke(previous, current);
        _controller = controller;
    }

    private static string Describe(List<string> names) => names.Count == 0 ? "nothing" : string.Join(", ", names);
}
