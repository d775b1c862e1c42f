using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Observability;

/// <summary>
/// Where one cluster's agents send telemetry, and under which tenant. Central uses its own services; a remote
/// uses their Linkerd mirrors (<c>&lt;service&gt;-&lt;central&gt;.&lt;namespace&gt;</c>), which exist only
/// once the remote is linked to central.
/// </summary>
internal sealed record TelemetryEndpoints(
    string Tenant,
    string MimirHost,
    string LokiHost,
    string TempoHost)
{
    /// <summary>Prometheus remote_write endpoint.</summary>
    public string MimirRemoteWriteUrl => $"http://{MimirHost}:{LgtmService.Mimir.HttpPort}/api/v1/push";

    /// <summary>OTLP/HTTP base for metrics (the exporter appends <c>/v1/metrics</c>).</summary>
    public string MimirOtlpUrl => $"http://{MimirHost}:{LgtmService.Mimir.HttpPort}/otlp";

    /// <summary>Loki push API (pod logs).</summary>
    public string LokiPushUrl => $"http://{LokiHost}:{LgtmService.Loki.HttpPort}/loki/api/v1/push";

    /// <summary>OTLP/HTTP base for logs (the exporter appends <c>/v1/logs</c>).</summary>
    public string LokiOtlpUrl => $"http://{LokiHost}:{LgtmService.Loki.HttpPort}/otlp";

    /// <summary>OTLP/gRPC endpoint for traces (host:port, plaintext inside the mesh).</summary>
    public string TempoOtlpGrpcEndpoint => $"{TempoHost}:{LgtmService.TempoOtlpGrpcPort}";

    /// <summary>The endpoints for <paramref name="cluster"/>: central's own services, or their mirrors on a remote.</summary>
    public static TelemetryEndpoints For(ClusterOptions cluster, ClusterOptions central)
    {
        var isCentral = string.Equals(cluster.Name, central.Name, StringComparison.Ordinal);
        string Host(LgtmService service) => isCentral ? service.LocalHost : service.MirrorHost(central.Name);
        return new(Tenants.Of(cluster), Host(LgtmService.Mimir), Host(LgtmService.Loki), Host(LgtmService.Tempo));
    }
}
