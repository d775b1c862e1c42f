using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace LgtmLab.Tests.Fakes.Kubernetes;

public sealed class FakeKubernetesApiTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions
        {
            ClusterName = "lgtm-central",
            Nodes = [new FakeNode("lgtm-central-control-plane", "172.18.0.2", "10.11.0.0/24")],
            LoadBalancerDelay = TimeSpan.FromMilliseconds(20),
        });
        _client = _api.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Lists_the_control_plane_node_with_its_pod_cidr_and_internal_ip()
    {
        var nodes = await _client.CoreV1.ListNodeAsync();

        var node = Assert.Single(nodes.Items);
        Assert.Equal("lgtm-central-control-plane", node.Metadata.Name);
        Assert.Equal("10.11.0.0/24", node.Spec.PodCIDR);
        Assert.Equal("172.18.0.2", node.Status.Addresses.Single(a => a.Type == "InternalIP").Address);
        Assert.Equal("True", node.Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task Config_maps_are_created_read_replaced_patched_and_deleted_with_real_status_codes()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("settings", "a", "1"), "default");
        Assert.NotNull(created.Metadata.Uid);

        var duplicate = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("settings", "a", "1"), "default"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Response.StatusCode);
        Assert.Equal("configmaps \"settings\" already exists", Message(duplicate));

        created.Data["a"] = "2";
        var replaced = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "settings", "default");
        Assert.Equal("2", replaced.Data["a"]);

        var stale = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "settings", "default"));
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);

        var patch = new V1Patch("{\"data\":{\"b\":\"3\"}}", V1Patch.PatchType.MergePatch);
        var patched = await _client.CoreV1.PatchNamespacedConfigMapAsync(patch, "settings", "default");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "2", ["b"] = "3" }, patched.Data);

        await _client.CoreV1.DeleteNamespacedConfigMapAsync("settings", "default");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        var status = JsonNode.Parse(missing.Response.Content)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("NotFound", (string?)status["reason"]);
        Assert.Equal("configmaps \"settings\" not found", (string?)status["message"]);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_leaves_an_unchanged_object_alone()
    {
        var first = await Apply(ConfigMap("fingerprint", "hash", "abc"));
        var second = await Apply(ConfigMap("fingerprint", "hash", "abc"));
        var third = await Apply(ConfigMap("fingerprint", "hash", "def"));

        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        Assert.NotEqual(second.Metadata.ResourceVersion, third.Metadata.ResourceVersion);
        Assert.Equal("def", third.Data["hash"]);
        Assert.Equal(3, _api.MutatingRequests.Count(r => r.Method == "PATCH"));
    }

    [Fact]
    public async Task Apply_without_a_field_manager_is_rejected_like_the_real_server()
    {
        var result = _api.Send("PATCH", "/api/v1/namespaces/default/configmaps/x",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}", ObjectPatches.ApplyPatch);

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("fieldManager: Required value", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Objects_in_a_missing_namespace_are_refused()
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x", "a", "b"), "metallb-system"));

        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Equal("namespaces \"metallb-system\" not found", Message(e));
    }

    [Fact]
    public async Task Secret_string_data_is_stored_as_base64_data()
    {
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "admin" }, StringData = new Dictionary<string, string> { ["password"] = "s3cret" } };

        var created = await _client.CoreV1.CreateNamespacedSecretAsync(secret, "default");

        Assert.Null(created.StringData);
        Assert.Equal("s3cret", Encoding.UTF8.GetString(created.Data["password"]));
    }

    [Fact]
    public async Task Custom_objects_need_their_crd_first_then_are_served()
    {
        var pool = IpAddressPool("central-pool", "172.18.255.201-172.18.255.210");
        var before = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CustomObjects.CreateNamespacedCustomObjectAsync(pool, "metallb.io", "v1beta1", "default", "ipaddresspools"));
        Assert.Equal(HttpStatusCode.NotFound, before.Response.StatusCode);

        await _client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(IpAddressPoolCrd());
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(pool, "metallb.io", "v1beta1", "default", "ipaddresspools");

        var stored = _api.Get("metallb.io/v1beta1", "IPAddressPool", "default", "central-pool");
        Assert.Equal("172.18.255.201-172.18.255.210", (string?)stored?["spec"]?["addresses"]?[0]);
        var crd = await _client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("ipaddresspools.metallb.io");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
    }

    [Fact]
    public async Task A_load_balancer_service_gets_an_address_from_the_metallb_pool_once_one_exists()
    {
        await _client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(IpAddressPoolCrd());
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "linkerd-gateway" },
            Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Name = "mc-gateway", Port = 4143 }] },
        };
        await _client.CoreV1.CreateNamespacedServiceAsync(service, "default");
        await Task.Delay(100);
        var pending = await _client.CoreV1.ReadNamespacedServiceAsync("linkerd-gateway", "default");
        Assert.Null(pending.Status.LoadBalancer.Ingress);
        Assert.NotNull(pending.Spec.ClusterIP);
        Assert.NotNull(pending.Spec.Ports[0].NodePort);

        using var watch = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = _client.CoreV1.WatchListNamespacedServiceAsync("default", cancellationToken: watch.Token);
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(
            IpAddressPool("central-pool", "172.18.255.201-172.18.255.210"), "metallb.io", "v1beta1", "default", "ipaddresspools");

        string? ip = null;
        await foreach (var (type, changed) in events)
        {
            if (changed.Metadata.Name == "linkerd-gateway" && changed.Status?.LoadBalancer?.Ingress is [var ingress, ..])
            {
                Assert.Equal(WatchEventType.Modified, type);
                ip = ingress.Ip;
                break;
            }
        }
        Assert.Equal("172.18.255.201", ip);
    }

    [Fact]
    public async Task Workloads_are_ready_unless_held_back()
    {
        var deployment = Deployment("grafana");
        var ready = await _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");
        Assert.Equal(1, ready.Status.ReadyReplicas);

        _api.HoldWorkloadsNotReady = true;
        var held = await _client.AppsV1.ReadNamespacedDeploymentAsync("grafana", "default");
        Assert.Equal(0, held.Status.ReadyReplicas ?? 0);
        var coredns = await _client.AppsV1.ReadNamespacedDeploymentAsync("coredns", "kube-system");
        Assert.Equal(0, coredns.Status.ReadyReplicas ?? 0);

        _api.HoldWorkloadsNotReady = false;
        Assert.Equal(1, (await _client.AppsV1.ReadNamespacedDeploymentAsync("grafana", "default")).Status.ReadyReplicas);
    }

    [Fact]
    public async Task Injected_failures_answer_the_next_matching_requests_then_stop()
    {
        _api.FailNext("GET", "/api/v1/namespaces/kube-system/configmaps", times: 2, statusCode: 503,
            reason: "ServiceUnavailable", message: "etcdserver: leader changed");

        for (var i = 0; i < 2; i++)
        {
            var e = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespacedConfigMapAsync("kube-system"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, e.Response.StatusCode);
            Assert.Equal("etcdserver: leader changed", Message(e));
        }
        Assert.Empty((await _client.CoreV1.ListNamespacedConfigMapAsync("kube-system")).Items);
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_what_is_in_it()
    {
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "tns" } });
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("app", "a", "b"), "tns");

        await _client.CoreV1.DeleteNamespaceAsync("tns");

        Assert.Null(_api.Get("v1", "ConfigMap", "tns", "app"));
        var ns = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespaceAsync("tns"));
        Assert.Equal(HttpStatusCode.NotFound, ns.Response.StatusCode);
    }

    [Fact]
    public async Task Label_selectors_filter_lists()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Labelled("one", "lab", "lgtm"), "default");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Labelled("two", "lab", "other"), "default");

        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "lab=lgtm");

        Assert.Equal(["one"], list.Items.Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task Json_patch_and_status_subresource_work()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("tempo"), "default");
        var patch = new V1Patch("[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]", V1Patch.PatchType.JsonPatch);

        var scaled = await _client.AppsV1.PatchNamespacedDeploymentAsync(patch, "tempo", "default");

        Assert.Equal(3, scaled.Spec.Replicas);
        Assert.Equal(3, scaled.Status.ReadyReplicas);
        Assert.Equal(2, scaled.Metadata.Generation);
        Assert.Equal(2, scaled.Status.ObservedGeneration);
    }

    [Fact]
    public async Task Reports_its_version_like_a_real_server()
    {
        var version = await _client.Version.GetCodeAsync();

        Assert.Equal("v1.36.1", version.GitVersion);
    }

    private static string? Message(HttpOperationException e) => (string?)JsonNode.Parse(e.Response.Content)?["message"];

    private async Task<V1ConfigMap> Apply(V1ConfigMap configMap)
    {
        configMap.ApiVersion = "v1";
        configMap.Kind = "ConfigMap";
        return await _client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(configMap, V1Patch.PatchType.ApplyPatch), configMap.Metadata.Name, "default", fieldManager: "lgtmlab");
    }

    private static V1ConfigMap ConfigMap(string name, string key, string value) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { [key] = value } };

    private static V1ConfigMap Labelled(string name, string label, string value) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [label] = value } } };

    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = $"grafana/{name}:latest" }] },
            },
        },
    };

    private static JsonObject IpAddressPool(string name, string range) => new()
    {
        ["apiVersion"] = "metallb.io/v1beta1",
        ["kind"] = "IPAddressPool",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["addresses"] = new JsonArray(range) },
    };

    private static V1CustomResourceDefinition IpAddressPoolCrd() => new()
    {
        Metadata = new V1ObjectMeta { Name = "ipaddresspools.metallb.io" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = "metallb.io",
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames { Kind = "IPAddressPool", Plural = "ipaddresspools", Singular = "ipaddresspool", ListKind = "IPAddressPoolList" },
            Versions = [new V1CustomResourceDefinitionVersion { Name = "v1beta1", Served = true, Storage = true }],
        },
    };
}
