using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>
/// What the API server and the cluster's controllers do to an object on write: identity and timestamps,
/// Secret stringData, Service IPs and node ports, workload and CRD status, namespace labels.
/// </summary>
internal sealed class ObjectLifecycle(FakeKubernetesApiOptions options)
{
    private uint _nextClusterIp = 10;
    private int _nextNodePort = 30000 + Random.Shared.Next(0, 2000);

    public bool WorkloadsReady { get; set; } = true;

    /// <summary>Namespaces whose workloads never become ready (a <see cref="FakePodFault"/> there).</summary>
    public HashSet<string> HeldNamespaces { get; } = new(StringComparer.Ordinal);

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>
    /// The object to store: <paramref name="incoming"/> with server-owned fields from <paramref name="existing"/>.
    /// Status comes from <paramref name="existing"/> unless <paramref name="acceptStatus"/>.
    /// </summary>
    public JsonObject Prepare(ResourceType type, JsonObject incoming, JsonObject? existing, string? ns, string name, bool acceptStatus)
    {
        var obj = (JsonObject)incoming.DeepClone();
        obj["apiVersion"] = (string?)incoming["apiVersion"] ?? type.ApiVersion;
        obj["kind"] = type.Kind;
        if (obj["metadata"] is not JsonObject meta) obj["metadata"] = meta = [];
        meta["name"] = name;
        meta.Remove("generateName");
        if (type.Namespaced) meta["namespace"] = ns; else meta.Remove("namespace");
        meta["uid"] = (string?)existing?["metadata"]?["uid"] ?? Guid.NewGuid().ToString();
        meta["creationTimestamp"] = (string?)existing?["metadata"]?["creationTimestamp"] ?? Now();
        meta.Remove("resourceVersion");
        meta.Remove("managedFields");
        meta.Remove("deletionTimestamp");
        if (!acceptStatus)
        {
            if (existing?["status"] is JsonNode status) obj["status"] = status.DeepClone();
            else obj.Remove("status");
        }
        if (type.Group.Length > 0 && obj["spec"] is not null)
        {
            var generation = existing?["metadata"]?["generation"].AsLong() ?? 0;
            var changed = existing is null || !JsonNode.DeepEquals(existing["spec"], obj["spec"]);
            meta["generation"] = changed ? generation + 1 : generation;
        }
        Default(type, obj, existing);
        return obj;
    }

    /// <summary>The same object apart from resourceVersion: a write that changes nothing keeps the version.</summary>
    public static bool Unchanged(JsonObject? existing, JsonObject candidate)
    {
        if (existing is null) return false;
        var a = (JsonObject)existing.DeepClone();
        var b = (JsonObject)candidate.DeepClone();
        a["metadata"]!.AsObject().Remove("resourceVersion");
        b["metadata"]!.AsObject().Remove("resourceVersion");
        return JsonNode.DeepEquals(a, b);
    }

    public void RefreshWorkloadStatus(ResourceType type, JsonObject obj)
    {
        if (type == ResourceTypes.Deployment || type == ResourceTypes.StatefulSet || type == ResourceTypes.DaemonSet)
            Default(type, obj, obj);
    }

    private void Default(ResourceType type, JsonObject obj, JsonObject? existing)
    {
        var meta = obj["metadata"]!.AsObject();
        switch (type.Kind)
        {
            case "Namespace" when type.Group.Length == 0:
                Labels(meta)["kubernetes.io/metadata.name"] = (string?)meta["name"];
                obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "Secret" when type.Group.Length == 0:
                DefaultSecret(obj);
                break;
            case "Service" when type.Group.Length == 0:
                DefaultService(obj, existing);
                break;
            case "Deployment" or "StatefulSet" or "DaemonSet" when type.Group == "apps":
                obj["status"] = WorkloadStatus(type.Kind, obj);
                break;
            case "Job" when type.Group == "batch":
                obj["status"] ??= new JsonObject
                {
                    ["startTime"] = Now(), ["completionTime"] = Now(), ["succeeded"] = 1,
                    ["conditions"] = new JsonArray(Condition("Complete", "True", null)),
                };
                break;
            case "CustomResourceDefinition" when type.Group == "apiextensions.k8s.io":
                var storage = obj["spec"]?["versions"]?.AsArray().FirstOrDefault(v => (bool?)v?["storage"] == true);
                obj["status"] = new JsonObject
                {
                    ["acceptedNames"] = obj["spec"]?["names"]?.DeepClone(),
                    ["conditions"] = new JsonArray(
                        Condition("NamesAccepted", "True", "NoConflicts"), Condition("Established", "True", "InitialNamesAccepted")),
                    ["storedVersions"] = new JsonArray((string?)storage?["name"]),
                };
                break;
        }
    }

    private static JsonObject Labels(JsonObject meta) =>
        meta["labels"] as JsonObject ?? (JsonObject)(meta["labels"] = new JsonObject());

    private static void DefaultSecret(JsonObject secret)
    {
        secret["type"] ??= "Opaque";
        if ((string?)secret["type"] == "kubernetes.io/service-account-token") FillServiceAccountToken(secret);
        if (secret["stringData"] is not JsonObject stringData) return;
        var data = secret["data"] as JsonObject ?? [];
        foreach (var (key, value) in stringData)
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? ""));
        secret["data"] = data.DeepClone();
        secret.Remove("stringData");
    }

    /// <summary>What Kubernetes' token controller does for a legacy token Secret: a token (kept once made) and the CA.</summary>
    private static void FillServiceAccountToken(JsonObject secret)
    {
        var data = secret["data"] as JsonObject ?? [];
        if (data["token"] is null)
        {
            var token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2UifQ." + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).TrimEnd('=');
            data["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(token));
            data["ca.crt"] ??= Convert.ToBase64String(Encoding.UTF8.GetBytes("fake cluster CA\n"));
            data["namespace"] ??= Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)secret["metadata"]?["namespace"] ?? "default"));
        }
        secret["data"] = data.DeepClone();
    }

    private void DefaultService(JsonObject service, JsonObject? existing)
    {
        if (service["spec"] is not JsonObject spec) service["spec"] = spec = [];
        var type = (string?)spec["type"] ?? "ClusterIP";
        spec["type"] = type;
        spec["sessionAffinity"] ??= "None";
        var clusterIp = (string?)spec["clusterIP"] ?? (string?)existing?["spec"]?["clusterIP"];
        if (type != "ExternalName")
        {
            clusterIp ??= AllocateClusterIp();
            spec["clusterIP"] = clusterIp;
            spec["clusterIPs"] = new JsonArray(clusterIp);
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
            spec["internalTrafficPolicy"] ??= "Cluster";
        }
        var oldPorts = existing?["spec"]?["ports"] as JsonArray;
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
            if (type is "NodePort" or "LoadBalancer" && port["nodePort"] is null)
            {
                var previous = oldPorts?.OfType<JsonObject>().FirstOrDefault(p => (string?)p["name"] == (string?)port["name"]);
                port["nodePort"] = previous?["nodePort"].AsLong() ?? _nextNodePort++;
            }
        }
        if (type == "LoadBalancer")
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
            spec["allocateLoadBalancerNodePorts"] ??= true;
            service["status"] ??= new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
        else
        {
            service["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
    }

    private string AllocateClusterIp()
    {
        var (network, _) = Ipv4.ParseCidr(options.ServiceSubnet);
        return Ipv4.Format(network + _nextClusterIp++);
    }

    private JsonObject WorkloadStatus(string kind, JsonObject obj)
    {
        var generation = obj["metadata"]?["generation"].AsLong() ?? 1;
        var replicas = kind == "DaemonSet" ? options.Nodes.Count : obj["spec"]?["replicas"].AsLong() ?? 1;
        if (kind != "DaemonSet") obj["spec"]!["replicas"] ??= replicas;
        var isReady = WorkloadsReady && !HeldNamespaces.Contains((string?)obj["metadata"]?["namespace"] ?? "");
        var ready = isReady ? replicas : 0;
        return kind switch
        {
            "DaemonSet" => new JsonObject
            {
                ["currentNumberScheduled"] = replicas, ["desiredNumberScheduled"] = replicas,
                ["numberAvailable"] = ready, ["numberMisscheduled"] = 0, ["numberReady"] = ready,
                ["numberUnavailable"] = replicas - ready,
                ["observedGeneration"] = generation, ["updatedNumberScheduled"] = replicas,
            },
            "StatefulSet" => new JsonObject
            {
                ["availableReplicas"] = ready, ["collisionCount"] = 0, ["currentReplicas"] = replicas,
                ["currentRevision"] = $"{obj["metadata"]?["name"]}-{generation}", ["observedGeneration"] = generation,
                ["readyReplicas"] = ready, ["replicas"] = replicas,
                ["updateRevision"] = $"{obj["metadata"]?["name"]}-{generation}", ["updatedReplicas"] = replicas,
            },
            _ => new JsonObject
            {
                ["availableReplicas"] = ready,
                ["conditions"] = new JsonArray(
                    Condition("Available", isReady ? "True" : "False", isReady ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"),
                    Condition("Progressing", "True", isReady ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")),
                ["observedGeneration"] = generation, ["readyReplicas"] = ready, ["replicas"] = replicas,
                ["unavailableReplicas"] = replicas - ready, ["updatedReplicas"] = replicas,
            },
        };
    }

    private static JsonObject Condition(string type, string status, string? reason) => new()
    {
        ["type"] = type, ["status"] = status, ["reason"] = reason,
        ["lastTransitionTime"] = Now(),
    };
}
