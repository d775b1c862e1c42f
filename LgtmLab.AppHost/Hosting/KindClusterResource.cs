using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// A kind cluster of the lab. The AppHost owns its state machine: the provisioning engine's progress on the
/// cluster's own steps (create, routes, ...) drives its state, health and console log; its components are
/// <see cref="LabComponentResource"/> children.
/// </summary>
public sealed class KindClusterResource : Resource
{
    internal KindClusterResource(string name, KindLabResource lab, ClusterRole role, int index) : base(name)
    {
        Lab = lab;
        Role = role;
        Index = index;
    }

    /// <summary>The lab the cluster belongs to.</summary>
    public KindLabResource Lab { get; }

    /// <summary>Central (runs the LGTM stack) or remote (runs workloads and agents, one tenant).</summary>
    public ClusterRole Role { get; }

    /// <summary>Its place in the lab: 0 for central, 1.. for the remotes in the order they were added.</summary>
    internal int Index { get; }

    /// <summary>The kubeconfig context kind creates for the cluster.</summary>
    public string KubeContext => KindContext.Of(Name);
}
