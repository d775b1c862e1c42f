namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>How a <see cref="FakeKubernetesApi"/> starts.</summary>
internal sealed class FakeKubernetesApiOptions
{
    public string ClusterName { get; init; } = "fake";

    public string KubernetesVersion { get; init; } = "v1.36.1";

    public IReadOnlyList<FakeNode> Nodes { get; init; } = [new("fake-control-plane", "172.18.0.2", "10.244.0.0/24")];

    public string ServiceSubnet { get; init; } = "10.96.0.0/16";

    /// <summary>How long a new LoadBalancer Service waits for its address (MetalLB takes a moment too).</summary>
    public TimeSpan LoadBalancerDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Addresses handed to LoadBalancer Services ("a.b.c.d-a.b.c.e" or CIDR entries). Null (the default): taken
    /// from the MetalLB IPAddressPool objects stored in the cluster, so a Service stays pending until a pool exists.
    /// </summary>
    public IReadOnlyList<string>? LoadBalancerAddresses { get; set; }

    /// <summary>Seed what a fresh kind cluster has (kube-system workloads, default namespaces, StorageClass).</summary>
    public bool SeedKindObjects { get; init; } = true;
}
