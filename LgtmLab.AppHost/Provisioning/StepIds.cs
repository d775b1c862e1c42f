namespace LgtmLab.AppHost.Provisioning;

/// <summary>Ids and resource names of the lab's steps, so later steps can depend on them by name.</summary>
public static class StepIds
{
    public static string Cluster(string cluster) => $"{cluster}/cluster";
    public static string Routes(string cluster) => $"{cluster}/routes";
    public static string MetalLb(string cluster) => $"{cluster}/metallb";
    public static string MetalLbPool(string cluster) => $"{cluster}/metallb-pool";

    /// <summary>The dashboard resource of a cluster's component, e.g. <c>lgtm-central-metallb</c>.</summary>
    public static string Resource(string cluster, string component) => $"{cluster}-{component}";
}
