namespace LgtmLab.AppHost.Configuration;

/// <summary>
/// The validated lab: <see cref="LabOptions"/> with names, tenants, CIDRs and host ports resolved.
/// Built only through <see cref="Resolve"/>, so holding one means the configuration passed every rule.
/// </summary>
internal sealed class LabTopology
{
    /// <summary>kind networks are /16s and each cluster's pool takes ten addresses of x.y.255.201-250 (<see cref="LoadBalancerPools"/>).</summary>
    public const int MaxClusters = 5;

    private LabTopology(LabOptions options, IReadOnlyList<ClusterSpec> clusters)
    {
        Options = options;
        Clusters = clusters;
    }

    public LabOptions Options { get; }
    public string Name => Options.Name;

    /// <summary>Central first, then the remotes in configuration order.</summary>
    public IReadOnlyList<ClusterSpec> Clusters { get; }
    public ClusterSpec Central => Clusters[0];
    public IEnumerable<ClusterSpec> Remotes => Clusters.Skip(1);
    public ComponentOptions Components => Options.Components;
    public RetryOptions Retry => Options.Retry;

    public string StateDirectory => Options.StateDirectory is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".lgtmlab", Name);

    public string Kubeconfig => Options.Kubeconfig is { Length: > 0 } file
        ? Path.GetFullPath(file)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");

    public ClusterSpec Cluster(string name) =>
        Clusters.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"'{name}' is not a cluster of lab '{Name}' (clusters: {string.Join(", ", Clusters.Select(c => c.Name))})", nameof(name));

    /// <summary>Validates <paramref name="options"/> and resolves every default; throws with every problem found.</summary>
    public static LabTopology Resolve(LabOptions options)
    {
        NameUnnamedRemotes(options);
        var errors = LabOptionsValidator.Validate(options);
        if (errors.Count > 0) throw new LabConfigurationException(errors);

        var configured = new List<(ClusterOptions Options, string Key, ClusterRole Role)> { (options.Central, "Lab:Central", ClusterRole.Central) };
        configured.AddRange(options.EffectiveRemotes.Select((r, i) => (r, $"Lab:Remotes:{i}", ClusterRole.Remote)));

        var subnets = CidrAllocator.Allocate(configured.Select(c => (c.Options.PodSubnet, c.Options.ServiceSubnet)).ToList());
        var clusters = configured.Select((c, index) => new ClusterSpec(
            c.Options.Name,
            index,
            c.Role,
            Tenants.Of(c.Options),
            subnets[index].Pod,
            subnets[index].Service,
            HostPortDefaults.For(c.Role, index, c.Options.HostPorts, c.Key),
            c.Key)).ToList();
        return new LabTopology(options, clusters);
    }

    /// <summary>The default name of the n-th remote (1-based): lgtm-remote, lgtm-remote2, ...</summary>
    public static string DefaultRemoteName(int number) => number == 1 ? "lgtm-remote" : $"lgtm-remote{number}";

    /// <summary>Setting only e.g. <c>Lab:Remotes:0:PodSubnet</c> tweaks the default remote rather than asking for a name.</summary>
    internal static void NameUnnamedRemotes(LabOptions options)
    {
        for (var i = 0; i < options.Remotes.Count; i++)
            if (string.IsNullOrEmpty(options.Remotes[i].Name)) options.Remotes[i].Name = DefaultRemoteName(i + 1);
    }
}
