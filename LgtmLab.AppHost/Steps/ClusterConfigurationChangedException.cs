using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Steps;

/// <summary>
/// An existing cluster of the lab was created from another configuration than the one now asked for; only deleting
/// and creating it again applies the new one. A type of its own so the hosting layer can offer that, instead of
/// reading it out of the message.
/// </summary>
internal sealed class ClusterConfigurationChangedException(string cluster, string change)
    : StepFailedException(
        $"configuration of cluster {cluster} changed ({change}): run the Recreate command",
        $"Recreate on {cluster} deletes and re-creates it with the new configuration (everything on it is re-installed); or restore the previous configuration")
{
    /// <summary>The kind cluster's name.</summary>
    public string Cluster { get; } = cluster;

    /// <summary>What changed, e.g. "podSubnet 10.21.0.0/16 -> 10.50.0.0/16".</summary>
    public string Change { get; } = change;
}
