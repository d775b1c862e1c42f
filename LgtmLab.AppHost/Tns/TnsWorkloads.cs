using k8s;
using k8s.Autorest;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Tns;

/// <summary>TNS's three Deployments in a cluster, and whether their pods are ready (the resource's live health).</summary>
public static class TnsWorkloads
{
    public const string Namespace = "tns";
    public static readonly IReadOnlyList<string> Deployments = ["db", "app", "loadgen"];

    /// <summary>Passes when every Deployment has all its replicas updated and ready.</summary>
    public static async Task<LabProbeResult> ProbeAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var waiting = new List<string>();
        foreach (var name in Deployments)
        {
            try
            {
                var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                var wanted = deployment.Spec?.Replicas ?? 1;
                var ready = deployment.Status?.ReadyReplicas ?? 0;
                var current = deployment.Status?.ObservedGeneration >= deployment.Metadata.Generation;
                if (!current || ready < wanted || (deployment.Status?.UpdatedReplicas ?? 0) < wanted)
                    waiting.Add($"{name} ({ready}/{wanted} ready)");
            }
            catch (HttpOperationException e) when (e.IsNotFound())
            {
                waiting.Add($"{name} (missing)");
            }
        }
        return waiting.Count == 0
            ? LabProbeResult.Pass($"{string.Join(", ", Deployments)} ready in namespace {Namespace}")
            : LabProbeResult.Fail($"not ready in namespace {Namespace}: {string.Join(", ", waiting)}; see `kubectl -n {Namespace} get pods`");
    }
}
