using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Tools;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>What steps work with: the validated lab, pinned versions, assets, tools, API clients and the state record.</summary>
internal sealed class LabServices(
    LabTopology topology, LabVersions versions, LabAssets assets, ToolRunner runner, KubernetesClients kubernetes, ILabStateStore state)
{
    public LabTopology Topology { get; } = topology;
    public LabVersions Versions { get; } = versions;
    public LabAssets Assets { get; } = assets;
    public ToolRunner Runner { get; } = runner;
    public Docker Docker { get; } = new(runner);
    public Kind Kind { get; } = new(runner, topology.Kubeconfig);
    public Kubectl Kubectl { get; } = new(runner);
    public Helm Helm { get; } = new(runner);
    public DotnetCli Dotnet { get; } = new(runner);
    public KubernetesClients Kubernetes { get; } = kubernetes;
    public ILabStateStore State { get; } = state;
    public RetryOptions Retry => Topology.Retry;

    /// <summary>Grafana's admin password (the Aspire secret parameter), read when a step needs it; null outside an AppHost.</summary>
    public Func<CancellationToken, ValueTask<string?>>? GrafanaAdminPassword { get; init; }

    /// <summary>Where the lab keeps what it renders for a cluster (kind config, manifests): <c>&lt;state&gt;/clusters/&lt;name&gt;</c>.</summary>
    public string ClusterDirectory(string cluster) => Path.Combine(Topology.StateDirectory, "clusters", cluster);
}
