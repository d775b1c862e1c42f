using System.Text.RegularExpressions;

namespace LgtmLab.AppHost.Configuration;

/// <summary>Every rule the <c>Lab</c> section must pass before anything runs; each error names the key and the fix.</summary>
internal static partial class LabOptionsValidator
{
    /// <summary>kind names the node container <c>&lt;cluster&gt;-control-plane</c>, which must stay a DNS label (63).</summary>
    public const int MaxClusterNameLength = 49;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    public static IReadOnlyList<ConfigurationError> Validate(LabOptions options)
    {
        var errors = new List<ConfigurationError>();
        if (!IsDnsLabel(options.Name, 63))
            errors.Add(new("Lab:Name", $"'{options.Name}' is not a DNS-1123 label",
                "use lower-case letters, digits and '-', starting and ending with a letter or digit (e.g. lgtm)"));
        else if (options.Name == "tools" && string.IsNullOrEmpty(options.StateDirectory))
            errors.Add(new("Lab:Name", "'tools' is where the lab caches its downloaded tools (~/.lgtmlab/tools)", "choose another lab name"));

        var remotes = options.EffectiveRemotes;
        var clusters = new List<(ClusterOptions Cluster, string Key, ClusterRole Role)> { (options.Central, "Lab:Central", ClusterRole.Central) };
        clusters.AddRange(remotes.Select((r, i) => (r, $"Lab:Remotes:{i}", ClusterRole.Remote)));

        if (clusters.Count > LabTopology.MaxClusters)
            errors.Add(new("Lab:Remotes", $"{remotes.Count} remote clusters are configured, at most {LabTopology.MaxClusters - 1} fit",
                $"remove remotes: each cluster's MetalLB pool takes {LoadBalancerPools.Size} addresses of {LoadBalancerPools.DescribeAll()} in the kind network, so at most {LabTopology.MaxClusters} clusters fit on a /16 network"));

        ValidateNames(clusters, errors);
        ValidateTenants(clusters, errors);
        ValidateSubnets(clusters, errors);
        ValidateHostPorts(clusters, errors);
        ValidateRetry(options.Retry, errors);
        return errors;
    }

    public static bool IsDnsLabel(string? value, int maxLength) =>
        !string.IsNullOrEmpty(value) && value.Length <= maxLength && Dns1123Label().IsMatch(value);

    private static void ValidateNames(List<(ClusterOptions Cluster, string Key, ClusterRole Role)> clusters, List<ConfigurationError> errors)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (cluster, key, _) in clusters)
        {
            if (!IsDnsLabel(cluster.Name, MaxClusterNameLength))
            {
                errors.Add(new($"{key}:Name", string.IsNullOrEmpty(cluster.Name) ? "a cluster needs a name" : $"'{cluster.Name}' is not a valid cluster name",
                    $"use a DNS-1123 label of at most {MaxClusterNameLength} characters: lower-case letters, digits and '-', starting and ending with a letter or digit (e.g. lgtm-remote2)"));
                continue;
            }
            if (!seen.TryAdd(cluster.Name, key))
                errors.Add(new($"{key}:Name", $"'{cluster.Name}' is already the name of {seen[cluster.Name]}", "give every cluster a distinct name"));
        }
    }

    private static void ValidateTenants(List<(ClusterOptions Cluster, string Key, ClusterRole Role)> clusters, List<ConfigurationError> errors)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (cluster, key, _) in clusters)
        {
            var tenant = Tenants.Of(cluster);
            if (string.IsNullOrEmpty(tenant)) continue; // the missing name is reported already
            if (!Tenants.IsValid(tenant))
            {
                errors.Add(new($"{key}:Tenant", $"'{tenant}' is not a valid tenant id",
                    $"use at most {Tenants.MaxLength} letters, digits and !-_.*'() (not '.' or '..'); '|' separates tenants in federated queries"));
                continue;
            }
            if (!seen.TryAdd(tenant, key))
                errors.Add(new($"{key}:Tenant", $"tenant '{tenant}' is already used by {seen[tenant]}",
                    "give every cluster its own tenant so its telemetry stays separate"));
        }
    }

    private static void ValidateSubnets(List<(ClusterOptions Cluster, string Key, ClusterRole Role)> clusters, List<ConfigurationError> errors)
    {
        var parsed = new List<(Ipv4Cidr Cidr, string Key)>();
        foreach (var (cluster, key, _) in clusters)
        {
            Check(cluster.PodSubnet, $"{key}:PodSubnet", 8, 24, "a pod subnet must be at least a /24 (each node takes a /24 of it)");
            Check(cluster.ServiceSubnet, $"{key}:ServiceSubnet", 12, 28, "the API server accepts service subnets from /12 to /28");
        }
        for (var i = 0; i < parsed.Count; i++)
            for (var j = 0; j < i; j++)
                if (parsed[i].Cidr.Overlaps(parsed[j].Cidr))
                    errors.Add(new(parsed[i].Key, $"{parsed[i].Cidr} overlaps {parsed[j].Key} ({parsed[j].Cidr})",
                        "choose a range that overlaps no other pod or service subnet of the lab, or remove the key to have one allocated"));
        if (errors.Count > 0) return;

        try
        {
            CidrAllocator.Allocate(clusters.Select(c => (c.Cluster.PodSubnet, c.Cluster.ServiceSubnet)).ToList());
        }
        catch (LabConfigurationException e)
        {
            errors.AddRange(e.Errors);
        }

        void Check(string? value, string key, int minPrefix, int maxPrefix, string why)
        {
            if (string.IsNullOrWhiteSpace(value)) return;
            if (!Ipv4Cidr.TryParse(value, out var cidr, out var problem))
            {
                errors.Add(new(key, problem, "write an IPv4 network like 10.50.0.0/16, or remove the key to have one allocated"));
                return;
            }
            if (cidr.PrefixLength < minPrefix || cidr.PrefixLength > maxPrefix)
            {
                errors.Add(new(key, $"{cidr} has a /{cidr.PrefixLength} prefix; {why}", $"use a prefix between /{minPrefix} and /{maxPrefix}, e.g. /16"));
                return;
            }
            parsed.Add((cidr, key));
        }
    }

    private static void ValidateHostPorts(List<(ClusterOptions Cluster, string Key, ClusterRole Role)> clusters, List<ConfigurationError> errors)
    {
        var used = new Dictionary<int, string>();
        for (var index = 0; index < clusters.Count; index++)
        {
            var (cluster, key, role) = clusters[index];
            var known = HostPortDefaults.ContainerPorts(role);
            foreach (var (name, port) in cluster.HostPorts)
            {
                if (!known.ContainsKey(name))
                    errors.Add(new($"{key}:HostPorts:{name}", $"'{name}' is not a host port mapping of a {role.ToString().ToLowerInvariant()} cluster",
                        $"use one of: {string.Join(", ", known.Keys)}"));
                else if (port is < 1 or > 65535)
                    errors.Add(new($"{key}:HostPorts:{name}", $"{port} is not a TCP port", "use a free port between 1024 and 65535"));
            }
            foreach (var name in known.Keys)
            {
                var port = cluster.HostPorts.TryGetValue(name, out var p) ? p : HostPortDefaults.DefaultHostPort(role, index, name);
                var portKey = $"{key}:HostPorts:{name}";
                if (!used.TryAdd(port, portKey))
                    errors.Add(new(portKey, $"host port {port} is already mapped by {used[port]}", $"set {portKey} to another free port"));
            }
        }
    }

    private static void ValidateRetry(RetryOptions retry, List<ConfigurationError> errors)
    {
        if (retry.MaxAttempts is < 1 or > 100)
            errors.Add(new("Lab:Retry:MaxAttempts", $"{retry.MaxAttempts} attempts", "use between 1 and 100 (default 5)"));
        foreach (var (name, value) in new[] { ("BaseDelay", retry.BaseDelay), ("MaxDelay", retry.MaxDelay), ("PollInterval", retry.PollInterval), ("ReadyTimeout", retry.ReadyTimeout) })
            if (value < TimeSpan.Zero)
                errors.Add(new($"Lab:Retry:{name}", $"{value} is negative", "use a duration like 00:00:02"));
        if (retry.ReadyBudget is { } budget && budget <= TimeSpan.Zero)
            errors.Add(new("Lab:Retry:ReadyBudget", $"{budget} is not positive", "use a duration like 00:10:00, or leave it unset for each step's own"));
    }
}
