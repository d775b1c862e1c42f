namespace LgtmLab.AppHost.Configuration;

/// <summary>
/// The host ports each cluster forwards into its node: central serves Grafana (http, https), each remote
/// receives OTLP from local processes. Remotes are spaced by ten so several fit side by side.
/// </summary>
internal static class HostPortDefaults
{
    /// <summary>Central's node ports for Traefik's web and websecure entry points (lab-assets/helm/traefik.yaml sets the same).</summary>
    public const int WebNodePort = 30080, WebSecureNodePort = 30443;

    /// <summary>A remote's node ports for Alloy's host OTLP receiver (lab-assets/helm/overlays/remote/alloy.yaml sets the same).</summary>
    public const int OtlpGrpcNodePort = 30317, OtlpHttpNodePort = 30318;

    /// <summary>Central's default host ports for Grafana (http, https).</summary>
    public const int DefaultHttpHostPort = 8080, DefaultHttpsHostPort = 8443;

    /// <summary>The first remote's default host ports for OTLP (gRPC, HTTP); each further remote adds <see cref="RemoteSpacing"/>.</summary>
    public const int DefaultOtlpGrpcHostPort = 14317, DefaultOtlpHttpHostPort = 14318, RemoteSpacing = 10;

    public static IReadOnlyDictionary<string, int> ContainerPorts(ClusterRole role) => role == ClusterRole.Central
        ? new Dictionary<string, int> { ["http"] = WebNodePort, ["https"] = WebSecureNodePort }
        : new Dictionary<string, int> { ["otlp-grpc"] = OtlpGrpcNodePort, ["otlp-http"] = OtlpHttpNodePort };

    public static int DefaultHostPort(ClusterRole role, int index, string name) => (role, name) switch
    {
        (ClusterRole.Central, "http") => DefaultHttpHostPort,
        (ClusterRole.Central, "https") => DefaultHttpsHostPort,
        (ClusterRole.Remote, "otlp-grpc") => DefaultOtlpGrpcHostPort + RemoteSpacing * (index - 1),
        (ClusterRole.Remote, "otlp-http") => DefaultOtlpHttpHostPort + RemoteSpacing * (index - 1),
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
