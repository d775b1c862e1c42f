using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Observability;

/// <summary>
/// What the LGTM stack and its agents install on each cluster (central: Traefik, Mimir, Loki, Tempo, Grafana,
/// Prometheus, Alloy; each remote: Prometheus, Alloy), with the values the engine passes to Helm and the
/// readiness endpoint that tells when each is up. Empty when <c>Lab:Components:Lgtm</c> is off.
/// </summary>
internal static class ObservabilityComponents
{
    /// <summary>The components of <paramref name="cluster"/>, in install order.</summary>
    public static IReadOnlyList<ObservabilityComponent> For(LabOptions lab, ClusterOptions cluster)
    {
        if (!lab.Components.Lgtm)
            return [];
        Tenants.Validate(lab);
        var central = lab.Central;
        var isCentral = string.Equals(cluster.Name, central.Name, StringComparison.Ordinal);
        var name = cluster.Name;
        var observability = ObservabilityNamespaces.Observability;

        var agents = new List<ObservabilityComponent>
        {
            new(name, "prometheus", observability, "prometheus",
                isCentral ? ["helm/prometheus.yaml"] : ["helm/prometheus.yaml", "helm/overlays/remote/prometheus.yaml"],
                _ => PrometheusValues.For(cluster, central), null,
                new(name, "prometheus", observability, "prometheus", 9090, "/-/ready")),
            new(name, "alloy", observability, "alloy",
                isCentral ? ["helm/alloy.yaml"] : ["helm/alloy.yaml", "helm/overlays/remote/alloy.yaml"],
                assets => AlloyValues.For(cluster, central, new LabAssets(assets)), null,
                new(name, "alloy", observability, "alloy", 12345, "/-/ready")),
        };
        if (!isCentral)
            return agents;

        var mimir = LgtmService.Mimir;
        var loki = LgtmService.Loki;
        var tempo = LgtmService.Tempo;
        return
        [
            new(name, "traefik", ObservabilityNamespaces.Traefik, "traefik", ["helm/traefik.yaml"], null, null,
                new(name, "traefik", ObservabilityNamespaces.Traefik, "traefik-internal", 8080, "/ping")),
            new(name, "mimir", mimir.Namespace, null, [], null, "manifests/mimir",
                new(name, "mimir", mimir.Namespace, mimir.Name, mimir.HttpPort, "/ready")),
            new(name, "loki", loki.Namespace, "loki", ["helm/loki.yaml"], null, null,
                new(name, "loki", loki.Namespace, loki.Name, loki.HttpPort, "/ready")),
            new(name, "tempo", tempo.Namespace, "tempo", ["helm/tempo.yaml"], null, null,
                new(name, "tempo", tempo.Namespace, tempo.Name, tempo.HttpPort, "/ready")),
            new(name, "grafana", observability, "grafana", ["helm/grafana.yaml"], assets => GrafanaValues.For(lab, assets), null,
                new(name, "grafana", observability, "grafana", 80, "/api/health")),
            .. agents,
        ];
    }

    /// <summary>Every readiness endpoint of the lab's observability components, cluster by cluster.</summary>
    public static IReadOnlyList<ReadinessEndpoint> Readiness(LabOptions lab) =>
        [.. new[] { lab.Central }.Concat(lab.EffectiveRemotes)
            .SelectMany(c => For(lab, c))
            .Select(c => c.Readiness)];
}
