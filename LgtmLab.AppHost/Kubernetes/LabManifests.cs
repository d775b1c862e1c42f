using k8s;
using k8s.Models;
using LgtmLab.AppHost.Kubernetes.MetalLb;

namespace LgtmLab.AppHost.Kubernetes;

/// <summary>Loads the manifests the lab applies, strictly: an unknown field or a wrong type is an error, not a silent no-op.</summary>
internal static class LabManifests
{
    /// <summary>The custom resource types the lab's manifests use, beyond KubernetesClient's built-in ones.</summary>
    public static IDictionary<string, Type> CustomTypes { get; } = new Dictionary<string, Type>
    {
        [$"{IPAddressPool.KubeApiVersion}/{IPAddressPool.KubeKind}"] = typeof(IPAddressPool),
        [$"{L2Advertisement.KubeApiVersion}/{L2Advertisement.KubeKind}"] = typeof(L2Advertisement),
    };

    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Load(string yaml) =>
        KubernetesYaml.LoadAllFromString(yaml, CustomTypes, strict: true)
            .Select(o => o as IKubernetesObject<V1ObjectMeta>
                ?? throw new InvalidDataException($"{o?.GetType().Name ?? "an empty document"} in a lab manifest has no metadata"))
            .ToList();
}
