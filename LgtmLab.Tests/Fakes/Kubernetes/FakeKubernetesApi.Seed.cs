using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>What a fresh cluster already holds: namespaces, nodes and (for kind) its own system workloads.</summary>
internal sealed partial class FakeKubernetesApi
{
    private void SeedMinimal()
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" }) Seed(ResourceTypes.Namespace, Object("v1", "Namespace", null, ns));
        foreach (var node in Options.Nodes) Seed(ResourceTypes.Node, NodeObject(node));
        var kubernetes = Object("v1", "Service", "default", "kubernetes");
        kubernetes["metadata"]!["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" };
        kubernetes["spec"] = new JsonObject
        {
            ["clusterIP"] = Ipv4.Format(Ipv4.ParseCidr(Options.ServiceSubnet).Network + 1),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
        };
        Seed(ResourceTypes.Service, kubernetes);
    }

    private void SeedKindCluster()
    {
        SeedMinimal();
        Seed(ResourceTypes.Namespace, Object("v1", "Namespace", null, "local-path-storage"));
        var storageClass = Object("storage.k8s.io/v1", "StorageClass", null, "standard");
        storageClass["metadata"]!["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" };
        storageClass["provisioner"] = "rancher.io/local-path";
        storageClass["reclaimPolicy"] = "Delete";
        storageClass["volumeBindingMode"] = "WaitForFirstConsumer";
        Seed(ResourceTypes.BuiltIn.First(t => t.Kind == "StorageClass"), storageClass);
        Seed(ResourceTypes.Deployment, Workload("Deployment", "kube-system", "coredns", 2, "registry.k8s.io/coredns/coredns:v1.13.1"));
        Seed(ResourceTypes.Deployment, Workload("Deployment", "local-path-storage", "local-path-provisioner", 1, "docker.io/kindest/local-path-provisioner:v20260213-ea8e5717"));
        Seed(ResourceTypes.DaemonSet, Workload("DaemonSet", "kube-system", "kindnet", null, "docker.io/kindest/kindnetd:v20260213-ea8e5717"));
        Seed(ResourceTypes.DaemonSet, Workload("DaemonSet", "kube-system", "kube-proxy", null, $"registry.k8s.io/kube-proxy:{Options.KubernetesVersion}"));
    }

    private void Seed(ResourceType type, JsonObject obj)
    {
        var ns = (string?)obj["metadata"]?["namespace"];
        var name = (string)obj["metadata"]!["name"]!;
        _store.Put(KeyOf(type, ns ?? "", name), _lifecycle.Prepare(type, obj, null, ns, name, acceptStatus: type == ResourceTypes.Node));
    }

    private static JsonObject Object(string apiVersion, string kind, string? ns, string name)
    {
        var meta = new JsonObject { ["name"] = name };
        if (ns is not null) meta["namespace"] = ns;
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = meta };
    }

    private static JsonObject Workload(string kind, string ns, string name, int? replicas, string image)
    {
        var workload = Object("apps/v1", kind, ns, name);
        var labels = new JsonObject { ["k8s-app"] = name };
        workload["metadata"]!["labels"] = labels.DeepClone();
        var spec = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = image }),
                },
            },
        };
        if (replicas is not null) spec["replicas"] = replicas;
        workload["spec"] = spec;
        return workload;
    }

    private JsonObject NodeObject(FakeNode node)
    {
        var node_ = Object("v1", "Node", null, node.Name);
        var labels = new JsonObject
        {
            ["beta.kubernetes.io/arch"] = "amd64", ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64", ["kubernetes.io/hostname"] = node.Name, ["kubernetes.io/os"] = "linux",
        };
        if (node.Role == "control-plane")
        {
            labels["node-role.kubernetes.io/control-plane"] = "";
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
        }
        node_["metadata"]!["labels"] = labels;
        node_["spec"] = new JsonObject
        {
            ["podCIDR"] = node.PodCidr,
            ["podCIDRs"] = new JsonArray(node.PodCidr),
            ["providerID"] = $"kind://docker/{Options.ClusterName}/{node.Name}",
        };
        node_["status"] = new JsonObject
        {
            ["addresses"] = new JsonArray(
                new JsonObject { ["address"] = node.InternalIp, ["type"] = "InternalIP" },
                new JsonObject { ["address"] = node.Name, ["type"] = "Hostname" }),
            ["allocatable"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8039804Ki", ["pods"] = "110" },
            ["capacity"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8039804Ki", ["pods"] = "110" },
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "MemoryPressure", ["status"] = "False", ["reason"] = "KubeletHasSufficientMemory" },
                new JsonObject { ["type"] = "DiskPressure", ["status"] = "False", ["reason"] = "KubeletHasNoDiskPressure" },
                new JsonObject { ["type"] = "PIDPressure", ["status"] = "False", ["reason"] = "KubeletHasSufficientPID" },
                new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "kubelet is posting ready status" }),
            ["nodeInfo"] = new JsonObject
            {
                ["architecture"] = "amd64", ["containerRuntimeVersion"] = "containerd://2.2.1",
                ["kernelVersion"] = "6.8.0-generic", ["kubeProxyVersion"] = Options.KubernetesVersion,
                ["kubeletVersion"] = Options.KubernetesVersion, ["operatingSystem"] = "linux",
                ["osImage"] = "Debian GNU/Linux 12 (bookworm)",
            },
        };
        return node_;
    }
}
