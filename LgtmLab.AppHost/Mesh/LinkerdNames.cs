namespace LgtmLab.AppHost.Mesh;

/// <summary>Names Linkerd's charts and CLI fix (linkerd2 edge-26.8.3), in one place.</summary>
internal static class LinkerdNames
{
    public const string ControlPlaneNamespace = "linkerd";
    public const string VizNamespace = "linkerd-viz";
    public const string MulticlusterNamespace = "linkerd-multicluster";

    /// <summary>The multicluster chart's gateway Service (a LoadBalancer that MetalLB gives an address).</summary>
    public const string Gateway = "linkerd-gateway";
    public const int GatewayPort = 4143;

    /// <summary>The service account whose token link-gen puts into the remote's credentials.</summary>
    public const string RemoteAccessServiceAccount = "linkerd-service-mirror-remote-access-default";

    public const string LinkGroup = "multicluster.linkerd.io";
    public const string LinkVersion = "v1alpha3";
    public const string LinkPlural = "links";

    /// <summary>kubeadm's API server port inside a kind node.</summary>
    public const int ApiServerPort = 6443;

    /// <summary>The Secret link-gen makes for a link to <paramref name="target"/>.</summary>
    public static string CredentialsSecret(string target) => $"cluster-credentials-{target}";
}
