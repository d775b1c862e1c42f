using k8s;
using k8s.Autorest;
using k8s.Models;

namespace LgtmLab.AppHost.Kubernetes;

/// <summary>A node as the routes and readiness checks see it.</summary>
internal sealed record ClusterNode(string Name, string? PodCidr, string? InternalIp, bool Ready);

/// <summary>Read-only questions the steps ask a cluster's API server.</summary>
internal static class ClusterQueries
{
    public static async Task<IReadOnlyList<ClusterNode>> NodesAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return nodes.Items.Select(n => new ClusterNode(
            n.Metadata.Name,
            n.Spec?.PodCIDR,
            n.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address,
            n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)).ToList();
    }

    /// <summary>The first ingress IP MetalLB gave a LoadBalancer Service, or null while it has none (or the Service is missing).</summary>
    public static async Task<string?> LoadBalancerAddressAsync(IKubernetes client, string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            var service = await client.CoreV1.ReadNamespacedServiceAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return service.Status?.LoadBalancer?.Ingress?.Select(i => i.Ip).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>Whether an object of a manifest exists, by its type's group, version and plural name.</summary>
    public static async Task<bool> ExistsAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> manifestObject, CancellationToken cancellationToken)
    {
        var entity = manifestObject.GetType().GetCustomAttributes(typeof(KubernetesEntityAttribute), false).OfType<KubernetesEntityAttribute>().FirstOrDefault()
            ?? throw new InvalidOperationException($"{manifestObject.GetType().Name} is not a Kubernetes entity type");
        var name = manifestObject.Metadata.Name;
        var ns = manifestObject.Metadata.NamespaceProperty;
        try
        {
            if (string.IsNullOrEmpty(entity.Group))
                await ReadCoreAsync(client, entity.Kind, ns, name, cancellationToken).ConfigureAwait(false);
            else if (ns is null)
                await client.CustomObjects.GetClusterCustomObjectAsync(entity.Group, entity.ApiVersion, entity.PluralName, name, cancellationToken).ConfigureAwait(false);
            else
                await client.CustomObjects.GetNamespacedCustomObjectAsync(entity.Group, entity.ApiVersion, ns, entity.PluralName, name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return false;
        }
    }

    private static Task ReadCoreAsync(IKubernetes client, string kind, string? ns, string name, CancellationToken cancellationToken) => kind switch
    {
        "Namespace" => client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken),
        "ConfigMap" => client.CoreV1.ReadNamespacedConfigMapAsync(name, Required(ns, kind), cancellationToken: cancellationToken),
        "Secret" => client.CoreV1.ReadNamespacedSecretAsync(name, Required(ns, kind), cancellationToken: cancellationToken),
        "Service" => client.CoreV1.ReadNamespacedServiceAsync(name, Required(ns, kind), cancellationToken: cancellationToken),
        "ServiceAccount" => client.CoreV1.ReadNamespacedServiceAccountAsync(name, Required(ns, kind), cancellationToken: cancellationToken),
        "PersistentVolumeClaim" => client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, Required(ns, kind), cancellationToken: cancellationToken),
        _ => throw new NotSupportedException($"checking whether a core {kind} exists is not supported; add it to {nameof(ClusterQueries)}"),
    };

    private static string Required(string? ns, string kind) =>
        ns ?? throw new InvalidOperationException($"a {kind} in a lab manifest must name its namespace");
}
