namespace LgtmLab.AppHost.Configuration;

/// <summary>One cluster of the lab with every default resolved and validated.</summary>
/// <param name="Index">0 for central, n for the n-th remote; drives the default CIDRs, pool and host ports.</param>
/// <param name="ConfigKey">Where it is configured, e.g. <c>Lab:Central</c> or <c>Lab:Remotes:0</c>.</param>
internal sealed record ClusterSpec(
    string Name,
    int Index,
    ClusterRole Role,
    string Tenant,
    Ipv4Cidr PodSubnet,
    Ipv4Cidr ServiceSubnet,
    IReadOnlyList<PortMapping> PortMappings,
    string ConfigKey)
{
    /// <summary>The kubeconfig context kind writes for it.</summary>
    public string KubeContext => KindContext.Of(Name);
}

/// <summary>A host port forwarded into the cluster's node (kind extraPortMappings, on 127.0.0.1).</summary>
/// <param name="ConfigKey">e.g. <c>Lab:Central:HostPorts:http</c>.</param>
internal sealed record PortMapping(string Name, int HostPort, int ContainerPort, string ConfigKey)
{
    public override string ToString() => $"{Name} {HostPort}->{ContainerPort}";
}
