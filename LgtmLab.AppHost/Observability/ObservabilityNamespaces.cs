using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Observability;

/// <summary>The namespaces the observability components live in.</summary>
internal static class ObservabilityNamespaces
{
    /// <summary>Grafana, Prometheus, Alloy (every cluster).</summary>
    public const string Observability = "observability";
    public const string Traefik = "traefik";

    /// <summary>
    /// The namespaces a cluster needs: central's LGTM services; on a remote the same Mimir, Loki and Tempo
    /// namespaces, where Linkerd's service mirror creates their mirrors.
    /// </summary>
    public static IReadOnlyList<string> For(ClusterOptions cluster, ClusterOptions central)
    {
        var isCentral = string.Equals(cluster.Name, central.Name, StringComparison.Ordinal);
        var lgtm = LgtmService.Exported.Select(s => s.Namespace);
        return isCentral ? [Observability, Traefik, .. lgtm] : [Observability, .. lgtm];
    }
}
