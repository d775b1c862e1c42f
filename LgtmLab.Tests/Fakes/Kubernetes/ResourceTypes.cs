using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>The built-in kinds, plus the kinds of the CRDs stored in the fake API server.</summary>
internal static class ResourceTypes
{
    public static readonly ResourceType Namespace = new("", "v1", "Namespace", "namespaces", false, "ns");
    public static readonly ResourceType Node = new("", "v1", "Node", "nodes", false, "no");
    public static readonly ResourceType Service = new("", "v1", "Service", "services", true, "svc");
    public static readonly ResourceType Secret = new("", "v1", "Secret", "secrets", true);
    public static readonly ResourceType ConfigMap = new("", "v1", "ConfigMap", "configmaps", true, "cm");
    public static readonly ResourceType Deployment = new("apps", "v1", "Deployment", "deployments", true, "deploy");
    public static readonly ResourceType DaemonSet = new("apps", "v1", "DaemonSet", "daemonsets", true, "ds");
    public static readonly ResourceType StatefulSet = new("apps", "v1", "StatefulSet", "statefulsets", true, "sts");
    public static readonly ResourceType CustomResourceDefinition =
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, "crd", "crds");

    public static readonly IReadOnlyList<ResourceType> BuiltIn =
    [
        Namespace, Node, Service, Secret, ConfigMap,
        new("", "v1", "Pod", "pods", true, "po"),
        new("", "v1", "ServiceAccount", "serviceaccounts", true, "sa"),
        new("", "v1", "Endpoints", "endpoints", true, "ep"),
        new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, "pvc"),
        new("", "v1", "PersistentVolume", "persistentvolumes", false, "pv"),
        new("", "v1", "Event", "events", true, "ev"),
        new("", "v1", "LimitRange", "limitranges", true, "limits"),
        new("", "v1", "ResourceQuota", "resourcequotas", true, "quota"),
        Deployment, DaemonSet, StatefulSet,
        new("apps", "v1", "ReplicaSet", "replicasets", true, "rs"),
        new("batch", "v1", "Job", "jobs", true),
        new("batch", "v1", "CronJob", "cronjobs", true, "cj"),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
        CustomResourceDefinition,
        new("networking.k8s.io", "v1", "Ingress", "ingresses", true, "ing"),
        new("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, "netpol"),
        new("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true),
        new("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false),
        new("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, "pdb"),
        new("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, "sc"),
        new("coordination.k8s.io", "v1", "Lease", "leases", true),
        new("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, "pc"),
        new("apiregistration.k8s.io", "v1", "APIService", "apiservices", false),
        new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, "hpa"),
    ];

    /// <summary>The kinds a stored CustomResourceDefinition serves (one per served version).</summary>
    public static IEnumerable<ResourceType> FromCrd(JsonObject crd)
    {
        var spec = crd["spec"]?.AsObject();
        var names = spec?["names"]?.AsObject();
        if (spec is null || names is null) yield break;
        var group = (string?)spec["group"] ?? "";
        var kind = (string?)names["kind"] ?? "";
        var plural = (string?)names["plural"] ?? "";
        var shortNames = names["shortNames"]?.AsArray().Select(n => (string?)n ?? "").ToArray() ?? [];
        var namespaced = (string?)spec["scope"] != "Cluster";
        foreach (var version in spec["versions"]?.AsArray() ?? [])
        {
            if (version?["served"] is JsonValue served && !served.GetValue<bool>()) continue;
            yield return new ResourceType(group, (string?)version?["name"] ?? "", kind, plural, namespaced, shortNames);
        }
    }
}
