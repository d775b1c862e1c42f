using Aspire.Hosting.ApplicationModel;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// A kind cluster of the lab. The AppHost owns its state machine: the provisioning engine's progress on the
/// cluster's own steps (create, routes, ...) drives its state, health and console log; its components are
/// <see cref="LabComponentResource"/> children.
/// </summary>
/// <param name="name">The resource name, which is also the kind cluster name (e.g. <c>lgtm-central</c>).</param>
/// <param name="definition">What the engine says about the cluster (kind, properties).</param>
public sealed class KindClusterResource(string name, LabResource definition) : Resource(name)
{
    /// <summary>The engine's description of the cluster: its kind and the properties the dashboard shows.</summary>
    public LabResource Definition { get; } = definition;

    /// <summary>The kubeconfig context kind creates for the cluster.</summary>
    public string KubeContext => Configuration.KindContext.Of(Name);
}
