namespace LgtmLab.AppHost.Configuration;

/// <summary>
/// Gives every cluster distinct pod and service CIDRs: cluster k defaults to 10.(10k+11).0.0/16 and
/// 10.(10k+12).0.0/16; when a default is taken by an explicitly configured range, the next free pair is used.
/// </summary>
internal static class CidrAllocator
{
    private const int MaxSlot = 24; // 10.(10*24+12) = 10.252 is the last pair that fits in 10.0.0.0/8

    public static Ipv4Cidr DefaultPodSubnet(int slot) => new((10u << 24) | ((uint)(10 * slot + 11) << 16), 16);
    public static Ipv4Cidr DefaultServiceSubnet(int slot) => new((10u << 24) | ((uint)(10 * slot + 12) << 16), 16);

    /// <summary>Resolves the given (already valid) CIDR strings; null entries are allocated.</summary>
    public static IReadOnlyList<(Ipv4Cidr Pod, Ipv4Cidr Service)> Allocate(IReadOnlyList<(string? Pod, string? Service)> configured)
    {
        var taken = configured
            .SelectMany(c => new[] { c.Pod, c.Service })
            .Where(s => !string.IsNullOrWhiteSpace(s))
            .Select(s => Ipv4Cidr.Parse(s!))
            .ToList();

        Ipv4Cidr Take(string? given, int index, Func<int, Ipv4Cidr> candidate)
        {
            if (!string.IsNullOrWhiteSpace(given)) return Ipv4Cidr.Parse(given);
            for (var slot = index; slot <= MaxSlot; slot++)
            {
                var cidr = candidate(slot);
                if (taken.Any(t => t.Overlaps(cidr))) continue;
                taken.Add(cidr);
                return cidr;
            }
            throw new LabConfigurationException([new ConfigurationError(
                "Lab", "no free 10.x.0.0/16 range is left to allocate a pod or service subnet",
                "set PodSubnet and ServiceSubnet explicitly for each cluster")]);
        }

        return configured
            .Select((c, index) => (Take(c.Pod, index, DefaultPodSubnet), Take(c.Service, index, DefaultServiceSubnet)))
            .ToList();
    }
}
