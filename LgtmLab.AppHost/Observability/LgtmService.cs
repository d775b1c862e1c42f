namespace LgtmLab.AppHost.Observability;

/// <summary>
/// A service of the LGTM stack on the central cluster, by the name the lab gives it. Remotes reach it through
/// its Linkerd mirror, <c>&lt;name&gt;-&lt;central cluster&gt;.&lt;namespace&gt;</c>; every cluster uses the
/// <c>cluster.local</c> domain.
/// </summary>
/// <param name="Name">Service name, e.g. <c>mimir</c>.</param>
/// <param name="Namespace">Namespace on central (and of its mirror on a remote), e.g. <c>mimir</c>.</param>
/// <param name="HttpPort">The port of its HTTP API.</param>
internal sealed record LgtmService(string Name, string Namespace, int HttpPort)
{
    public const string ClusterDomain = "cluster.local";

    /// <summary>Mimir (monolithic): remote_write, OTLP metrics, PromQL under /prometheus.</summary>
    public static readonly LgtmService Mimir = new("mimir", "mimir", 8080);

    /// <summary>Loki (single binary): push API, OTLP logs, LogQL.</summary>
    public static readonly LgtmService Loki = new("loki", "loki", 3100);

    /// <summary>Tempo (monolithic): HTTP API on 3200, OTLP gRPC on <see cref="TempoOtlpGrpcPort"/>.</summary>
    public static readonly LgtmService Tempo = new("tempo", "tempo", 3200);

    public const int TempoOtlpGrpcPort = 4317;

    /// <summary>The services central exports to the remotes (label <c>mirror.linkerd.io/exported=true</c>).</summary>
    public static IReadOnlyList<LgtmService> Exported { get; } = [Mimir, Loki, Tempo];

    /// <summary>Its DNS name inside central, e.g. <c>mimir.mimir.svc.cluster.local</c>.</summary>
    public string LocalHost => $"{Name}.{Namespace}.svc.{ClusterDomain}";

    /// <summary>Its Linkerd mirror's DNS name on a remote linked to <paramref name="centralClusterName"/>.</summary>
    public string MirrorHost(string centralClusterName) => $"{MirrorName(centralClusterName)}.{Namespace}.svc.{ClusterDomain}";

    /// <summary>Its Linkerd mirror's service name, e.g. <c>mimir-lgtm-central</c>.</summary>
    public string MirrorName(string centralClusterName) => $"{Name}-{centralClusterName}";
}
