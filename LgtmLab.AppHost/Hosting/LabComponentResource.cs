namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// A component installed into a cluster (a Helm release, routes, a multicluster link, a workload, ...), shown as
/// a child of its <see cref="KindClusterResource"/>. Its state, health and console log follow its own steps.
/// </summary>
public sealed class LabComponentResource : Resource
{
    internal LabComponentResource(string name, KindClusterResource cluster, string kind) : base(name)
    {
        Cluster = cluster;
        Kind = kind;
    }

    /// <summary>The cluster the component is installed into.</summary>
    public KindClusterResource Cluster { get; }

    /// <summary>What it is: <c>HelmRelease</c>, <c>Manifests</c>, <c>Routes</c>, <c>Link</c>, <c>Workload</c>, ...</summary>
    public string Kind { get; }
}
