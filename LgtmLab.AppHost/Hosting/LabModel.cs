using Aspire.Hosting.ApplicationModel;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Hosting;

/// <summary>The lab as the hosting layer sees it: the controller, its dashboard resources and their step board.</summary>
internal sealed class LabModel
{
    readonly Dictionary<string, IResource> _byName = new(StringComparer.Ordinal);

    public LabModel(LabOptions options, ILabController controller)
    {
        Options = options;
        Controller = controller;
    }

    public LabOptions Options { get; }

    public ILabController Controller { get; }

    public LabStatusBoard Board { get; } = new();

    /// <summary>What the lab is doing right now (e.g. "Recreate cluster lgtm-central"); null when idle.</summary>
    public string? CurrentOperation { get => Volatile.Read(ref _currentOperation); set => Volatile.Write(ref _currentOperation, value); }
    string? _currentOperation;

    public List<KindClusterResource> Clusters { get; } = [];

    public List<LabComponentResource> Components { get; } = [];

    /// <summary>Every lab resource, clusters first, in the engine's order.</summary>
    public IEnumerable<IResource> All => Clusters.Cast<IResource>().Concat(Components);

    /// <summary>The cluster that carries "Delete lab": the configured central one, else the first.</summary>
    public KindClusterResource? Central =>
        Clusters.FirstOrDefault(c => c.Name == Options.Central.Name) ?? Clusters.FirstOrDefault();

    public void Add(KindClusterResource cluster)
    {
        Clusters.Add(cluster);
        _byName.Add(cluster.Name, cluster);
    }

    public void Add(LabComponentResource component)
    {
        Components.Add(component);
        _byName.Add(component.Name, component);
    }

    public IResource? Find(string name) => _byName.GetValueOrDefault(name);

    public LabResource DefinitionOf(IResource resource) => resource switch
    {
        KindClusterResource cluster => cluster.Definition,
        LabComponentResource component => component.Definition,
        _ => throw new ArgumentException($"{resource.Name} is not a lab resource", nameof(resource)),
    };

    /// <summary>The cluster and every component installed into it.</summary>
    public IEnumerable<IResource> ClusterAndComponents(string clusterName) =>
        All.Where(r => r.Name == clusterName || (r is LabComponentResource c && c.Cluster.Name == clusterName));
}
