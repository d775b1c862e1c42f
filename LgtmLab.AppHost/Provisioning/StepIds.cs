namespace LgtmLab.AppHost.Provisioning;

/// <summary>Ids and resource names of the lab's steps, so later steps can depend on them by name.</summary>
internal static class StepIds
{
    public static string Cluster(string cluster) => $"{cluster}/cluster";
    public static string Routes(string cluster) => $"{cluster}/routes";
    public static string MetalLb(string cluster) => $"{cluster}/metallb";
    public static string MetalLbPool(string cluster) => $"{cluster}/metallb-pool";

    /// <summary>A Helm release of the mesh or the LGTM stack, named after the release: <c>lgtm-central/linkerd-control-plane</c>, <c>lgtm-central/loki</c>.</summary>
    public static string Release(string cluster, string release) => $"{cluster}/{release}";

    /// <summary>The Linkerd multicluster link from a remote to central.</summary>
    public static string Link(string remote) => $"{remote}/link";

    /// <summary>Central's services labelled for export to the remotes.</summary>
    public static string Exports(string central) => $"{central}/exports";

    /// <summary>The lab's namespaces on a cluster (meshed where the mesh is on).</summary>
    public static string Namespaces(string cluster) => $"{cluster}/namespaces";

    /// <summary>The TNS image loaded into a cluster, and the TNS manifests applied to it.</summary>
    public static string TnsImage(string cluster) => $"{cluster}/tns-image";
    public static string Tns(string cluster) => $"{cluster}/tns";

    /// <summary>The dashboard resource of a cluster's component, e.g. <c>lgtm-central-metallb</c>.</summary>
    public static string Resource(string cluster, string component) => $"{cluster}-{component}";
}
