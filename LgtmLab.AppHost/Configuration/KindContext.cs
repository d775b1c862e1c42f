namespace LgtmLab.AppHost.Configuration;

/// <summary>
/// The kubeconfig context (and cluster and user entry) kind writes for a cluster: <c>kind-&lt;name&gt;</c>
/// (kind v0.32.0 pkg/cluster/internal/kubeconfig/internal/kubeconfig/helpers.go, KINDClusterKey).
/// </summary>
internal static class KindContext
{
    public static string Of(string cluster) => "kind-" + cluster;
}
