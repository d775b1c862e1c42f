namespace LgtmLab.AppHost.Tns;

/// <summary>What lab-assets/manifests/tns/tns.yaml runs: three Deployments in namespace <c>tns</c>.</summary>
internal static class TnsWorkloads
{
    public const string Namespace = "tns";
    public static readonly IReadOnlyList<string> Deployments = ["db", "app", "loadgen"];
}
