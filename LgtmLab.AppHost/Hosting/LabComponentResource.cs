using Aspire.Hosting.ApplicationModel;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// A component installed into a cluster (a Helm release, routes, a multicluster link, ...), shown as a child
/// of its <see cref="KindClusterResource"/>. Its state, health and console log follow its own steps.
/// </summary>
/// <param name="name">The resource name, e.g. <c>lgtm-central-loki</c>.</param>
/// <param name="cluster">The cluster it is installed into.</param>
/// <param name="definition">What the engine says about the component (kind, properties).</param>
public sealed class LabComponentResource(string name, KindClusterResource cluster, LabResource definition) : Resource(name)
{
    /// <summary>The cluster the component is installed into.</summary>
    public KindClusterResource Cluster { get; } = cluster;

    /// <summary>The engine's description of the component: its kind and the properties the dashboard shows.</summary>
    public LabResource Definition { get; } = definition;
}
