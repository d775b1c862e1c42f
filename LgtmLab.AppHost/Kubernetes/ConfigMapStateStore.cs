using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Kubernetes;

/// <summary>The lab's record in each cluster: ConfigMap <c>lgtmlab-state</c> in <c>kube-system</c>, one key per step.</summary>
internal sealed class ConfigMapStateStore(KubernetesClients clients, string labName) : ILabStateStore
{
    public const string Name = "lgtmlab-state";
    public const string Namespace = "kube-system";

    public static string ContextOf(string cluster) => KindContext.Of(cluster);

    /// <summary>ConfigMap keys allow [-._a-zA-Z0-9]: step ids like <c>lgtm-central/metallb</c> become <c>lgtm-central.metallb</c>.</summary>
    public static string KeyOf(string stepId) => stepId.Replace('/', '.');

    public async Task<string?> ReadAsync(string cluster, string key, CancellationToken cancellationToken)
    {
        var context = ContextOf(cluster);
        if (!clients.HasContext(context)) return null;
        try
        {
            var map = await clients.For(context).CoreV1.ReadNamespacedConfigMapAsync(Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return map.Data is not null && map.Data.TryGetValue(KeyOf(key), out var value) ? value : null;
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }

    public async Task WriteAsync(string cluster, string key, string value, CancellationToken cancellationToken)
    {
        var client = clients.For(ContextOf(cluster));
        var patch = new V1Patch(JsonSerializer.Serialize(new { data = new Dictionary<string, string> { [KeyOf(key)] = value } }), V1Patch.PatchType.MergePatch);
        try
        {
            await client.CoreV1.PatchNamespacedConfigMapAsync(patch, Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            var map = new V1ConfigMap
            {
                Metadata = new V1ObjectMeta
                {
                    Name = Name,
                    NamespaceProperty = Namespace,
                    Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "lgtmlab", ["lgtmlab.io/lab"] = labName },
                },
                Data = new Dictionary<string, string> { [KeyOf(key)] = value },
            };
            try
            {
                await client.CoreV1.CreateNamespacedConfigMapAsync(map, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException conflict) when (conflict.IsConflict())
            {
                // another step of this cluster created it a moment ago
                await client.CoreV1.PatchNamespacedConfigMapAsync(patch, Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
