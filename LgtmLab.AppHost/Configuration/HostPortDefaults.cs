namespace LgtmLab.AppHost.Configuration;

/// <summary>
/// The host ports each cluster forwards into its node: central serves Grafana (http, https), each remote
/// receives OTLP from local processes. Remotes are spaced by ten so several fit side by side.
/// </summary>
public static class HostPortDefaults
{
    public static IReadOnlyDictionary<string, int> ContainerPorts(ClusterRole role) => role == ClusterRole.Central
        ? new Dictionary<string, int> { ["http"] = 30080, ["https"] = 30443 }
        : new Dictionary<string, int> { ["otlp-grpc"] = 30317, ["otlp-http"] = 30318 };

    public static int DefaultHostPort(ClusterRole role, int index, string name) => (role, name) switch
    {
        (ClusterRole.Central, "http") => 8080,
        (ClusterRole.Central, "https") => 8443,
        (ClusterRole.Remote, "otlp-grpc") => 14317 + 10 * (index - 1),
        (ClusterRole.Remote, "otlp-http") => 14318 + 10 * (index - 1),
        _ => throw new ArgumentException($"no host port mapping '{name}' for a {role} cluster", nameof(name)),
    };

    public static IReadOnlyList<PortMapping> For(ClusterRole role, int index, IReadOnlyDictionary<string, int> overrides, string clusterKey) =>
        ContainerPorts(role)
            .Select(p => new PortMapping(
                p.Key,
                overrides.TryGetValue(p.Key, out var port) ? port : DefaultHostPort(role, index, p.Key),
                p.Value,
                $"{clusterKey}:HostPorts:{p.Key}"))
            .ToList();
}
