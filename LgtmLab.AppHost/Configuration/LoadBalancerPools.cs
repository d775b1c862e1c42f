namespace LgtmLab.AppHost.Configuration;

/// <summary>An inclusive range of IPv4 addresses, written as MetalLB expects it: <c>172.18.255.201-172.18.255.210</c>.</summary>
internal readonly record struct AddressRange(uint First, uint Last)
{
    public override string ToString() => $"{Ipv4Address.Format(First)}-{Ipv4Address.Format(Last)}";
}

/// <summary>
/// MetalLB L2 pools carved from the <c>kind</c> Docker network: x.y.255.201-210 for central (index 0),
/// the next ten addresses for each remote.
/// </summary>
internal static class LoadBalancerPools
{
    /// <summary>Central's pool starts at x.y.255.<see cref="FirstHost"/>; each pool has <see cref="Size"/> addresses.</summary>
    public const int FirstHost = 201, Size = 10;

    public static AddressRange For(int clusterIndex, Ipv4Cidr kindNetwork)
    {
        var first = (kindNetwork.Network & 0xFFFF0000u) | (255u << 8) | (uint)(FirstHost + Size * clusterIndex);
        return new AddressRange(first, first + Size - 1);
    }

    /// <summary>The pool of cluster <paramref name="clusterIndex"/> on any kind network, e.g. <c>x.y.255.201-210</c>.</summary>
    public static string Describe(int clusterIndex) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"x.y.255.{FirstHost + Size * clusterIndex}-{FirstHost + Size * (clusterIndex + 1) - 1}");

    /// <summary>What every pool of the lab takes together: <c>x.y.255.201-250</c>.</summary>
    public static string DescribeAll() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"x.y.255.{FirstHost}-{FirstHost + Size * LabTopology.MaxClusters - 1}");

    /// <summary>What must hold between the lab and an existing kind network: pools inside it, CIDRs clear of it.</summary>
    public static IReadOnlyList<ConfigurationError> Check(LabTopology lab, Ipv4Cidr kindNetwork)
    {
        var errors = new List<ConfigurationError>();
        foreach (var cluster in lab.Clusters)
        {
            var pool = For(cluster.Index, kindNetwork);
            if (cluster.Index >= LabTopology.MaxClusters || !kindNetwork.Contains(pool.First) || !kindNetwork.Contains(pool.Last))
                errors.Add(new(cluster.ConfigKey, $"the MetalLB pool {pool} of cluster {cluster.Name} does not fit the kind Docker network {kindNetwork}",
                    $"the pools need {DescribeAll()} of a /16 kind network, so at most {LabTopology.MaxClusters} clusters fit on a /16 network: "
                    + "delete the lab (--delete-lab), then `docker network rm kind` so kind re-creates it as a /16, or configure fewer remotes"));
            foreach (var (name, cidr) in new[] { ("PodSubnet", cluster.PodSubnet), ("ServiceSubnet", cluster.ServiceSubnet) })
                if (cidr.Overlaps(kindNetwork))
                    errors.Add(new($"{cluster.ConfigKey}:{name}", $"{cidr} overlaps the kind Docker network {kindNetwork}",
                        "choose a range outside the kind network, e.g. in 10.0.0.0/8, or remove the key to have one allocated"));
        }
        return errors;
    }
}
