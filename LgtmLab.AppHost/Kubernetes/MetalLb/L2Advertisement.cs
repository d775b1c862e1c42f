using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LgtmLab.AppHost.Kubernetes.MetalLb;

/// <summary>MetalLB's <c>L2Advertisement</c> (metallb.io/v1beta1): announce pools over ARP on the node network.</summary>
[KubernetesEntity(Group = "metallb.io", Kind = "L2Advertisement", ApiVersion = "v1beta1", PluralName = "l2advertisements")]
internal sealed class L2Advertisement : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeApiVersion = "metallb.io/v1beta1";
    public const string KubeKind = "L2Advertisement";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = KubeApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = KubeKind;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public L2AdvertisementSpec Spec { get; set; } = new();
}

internal sealed class L2AdvertisementSpec
{
    [JsonPropertyName("ipAddressPools")] public IList<string>? IpAddressPools { get; set; }
    [JsonPropertyName("ipAddressPoolSelectors")] public IList<V1LabelSelector>? IpAddressPoolSelectors { get; set; }
    [JsonPropertyName("nodeSelectors")] public IList<V1LabelSelector>? NodeSelectors { get; set; }
    [JsonPropertyName("interfaces")] public IList<string>? Interfaces { get; set; }
}
