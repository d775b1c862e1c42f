using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LgtmLab.AppHost.Kubernetes.MetalLb;

/// <summary>MetalLB's <c>IPAddressPool</c> (metallb.io/v1beta1): the addresses LoadBalancer Services may get.</summary>
[KubernetesEntity(Group = "metallb.io", Kind = "IPAddressPool", ApiVersion = "v1beta1", PluralName = "ipaddresspools")]
internal sealed class IPAddressPool : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeApiVersion = "metallb.io/v1beta1";
    public const string KubeKind = "IPAddressPool";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = KubeApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = KubeKind;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public IPAddressPoolSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public IPAddressPoolStatus? Status { get; set; }
}

internal sealed class IPAddressPoolSpec
{
    [JsonPropertyName("addresses")] public IList<string> Addresses { get; set; } = [];
    [JsonPropertyName("autoAssign")] public bool? AutoAssign { get; set; }
    [JsonPropertyName("avoidBuggyIPs")] public bool? AvoidBuggyIPs { get; set; }
    [JsonPropertyName("serviceAllocation")] public ServiceAllocation? ServiceAllocation { get; set; }
}

internal sealed class ServiceAllocation
{
    [JsonPropertyName("priority")] public int? Priority { get; set; }
    [JsonPropertyName("namespaces")] public IList<string>? Namespaces { get; set; }
    [JsonPropertyName("namespaceSelectors")] public IList<V1LabelSelector>? NamespaceSelectors { get; set; }
    [JsonPropertyName("serviceSelectors")] public IList<V1LabelSelector>? ServiceSelectors { get; set; }
}

internal sealed class IPAddressPoolStatus
{
    [JsonPropertyName("assignedIPv4")] public long? AssignedIPv4 { get; set; }
    [JsonPropertyName("assignedIPv6")] public long? AssignedIPv6 { get; set; }
    [JsonPropertyName("availableIPv4")] public long? AvailableIPv4 { get; set; }
    [JsonPropertyName("availableIPv6")] public long? AvailableIPv6 { get; set; }
}
