using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Observability;

/// <summary>
/// The Grafana Alloy pipeline for one cluster, rendered from lab-assets/alloy/pipeline.alloy: pod logs of the
/// node -> Loki; OTLP traces, metrics and logs from the cluster's workloads -> Tempo, Mimir, Loki; on a remote
/// also OTLP from the host (F5 runs, through node ports <see cref="HostPortDefaults.OtlpGrpcNodePort"/>/<see cref="HostPortDefaults.OtlpHttpNodePort"/>)
/// tagged <c>lgtmlab.run="local"</c>. Everything is sent under the cluster's tenant, to central's services on
/// central and to their Linkerd mirrors on a remote.
/// </summary>
internal static class AlloyConfig
{
    /// <summary>The template, relative to lab-assets.</summary>
    public const string TemplatePath = "alloy/pipeline.alloy";

    /// <summary>The resource attribute that marks telemetry from a local (F5) run.</summary>
    public const string LocalRunAttribute = "lgtmlab.run";
    public const string LocalRunValue = "local";

    /// <summary>Ports of the in-cluster OTLP receiver (gRPC, HTTP).</summary>
    public const int OtlpGrpcPort = 4317, OtlpHttpPort = 4318;

    /// <summary>Ports of the host (local run) OTLP receiver on remotes, behind node ports <see cref="LocalRunGrpcNodePort"/>/<see cref="LocalRunHttpNodePort"/>.</summary>
    public const int LocalRunGrpcPort = 14317, LocalRunHttpPort = 14318;
    public const int LocalRunGrpcNodePort = HostPortDefaults.OtlpGrpcNodePort, LocalRunHttpNodePort = HostPortDefaults.OtlpHttpNodePort;

    /// <summary>The pipeline for <paramref name="cluster"/>; <paramref name="central"/> is the cluster running Mimir, Loki and Tempo.</summary>
    public static string For(ClusterOptions cluster, ClusterOptions central, LabAssets assets) =>
        LabTemplate.RenderFile(assets.PathOf(TemplatePath), Values(cluster, central));

    /// <summary>What the template may use for <paramref name="cluster"/> (its header comment lists them).</summary>
    internal static TemplateValues Values(ClusterOptions cluster, ClusterOptions central)
    {
        var endpoints = TelemetryEndpoints.For(cluster, central);
        return new TemplateValues()
            .Set("cluster", cluster.Name)
            .Set("tenant", endpoints.Tenant)
            .Set("lokiPushUrl", endpoints.LokiPushUrl)
            .Set("lokiOtlpUrl", endpoints.LokiOtlpUrl)
            .Set("mimirOtlpUrl", endpoints.MimirOtlpUrl)
            .Set("tempoOtlpGrpcEndpoint", endpoints.TempoOtlpGrpcEndpoint)
            .Set("otlpGrpcPort", OtlpGrpcPort)
            .Set("otlpHttpPort", OtlpHttpPort)
            .Set("localRunGrpcPort", LocalRunGrpcPort)
            .Set("localRunHttpPort", LocalRunHttpPort)
            .Set("localRunGrpcNodePort", LocalRunGrpcNodePort)
            .Set("localRunHttpNodePort", LocalRunHttpNodePort)
            .Set("localRunAttribute", LocalRunAttribute)
            .Set("localRunValue", LocalRunValue)
            .If("remote", !string.Equals(cluster.Name, central.Name, StringComparison.Ordinal));
    }
}
