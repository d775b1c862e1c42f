namespace LgtmLab.AppHost.Configuration;

/// <summary>Whether a cluster runs the LGTM stack or workloads (<see cref="LgtmLab.AppHost.Hosting.KindClusterResource.Role"/>).</summary>
public enum ClusterRole
{
    /// <summary>The one cluster that runs the LGTM stack (Mimir, Loki, Tempo, Grafana) and receives every remote's telemetry.</summary>
    Central,

    /// <summary>A tenant cluster: runs workloads and agents, linked to central by Linkerd multicluster.</summary>
    Remote,
}
