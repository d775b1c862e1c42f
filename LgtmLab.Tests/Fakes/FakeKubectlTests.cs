using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes;

public sealed class FakeKubectlTests : IAsyncLifetime
{
    private FakeToolbox toolbox = null!;

    public async Task InitializeAsync()
    {
        toolbox = FakeToolbox.Create();
        Assert.Equal(0, (await toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-remote")).ExitCode);
    }

    public async Task DisposeAsync() => await toolbox.DisposeAsync();

    private Task<FakeRunResult> Kubectl(params string[] args) => toolbox.RunAsync("kubectl", ["--context", "kind-lgtm-remote", .. args]);

    [Fact]
    public async Task Server_side_apply_from_stdin_stores_objects_the_api_then_serves()
    {
        const string manifest = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: tns
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: lgtmlab-fingerprints
              namespace: tns
            data:
              tns: abc123
            """;

        var first = await toolbox.RunAsync("kubectl", ["--context", "kind-lgtm-remote", "apply", "--server-side", "--field-manager", "lgtmlab", "-f", "-"], manifest, CancellationToken.None);
        var get = await Kubectl("get", "configmap", "lgtmlab-fingerprints", "-n", "tns", "-o", "jsonpath={.data.tns}");

        Assert.Equal("namespace/tns serverside-applied\nconfigmap/lgtmlab-fingerprints serverside-applied\n", first.Stdout);
        Assert.Equal("abc123", get.Stdout);
        var writes = toolbox.Cluster("lgtm-remote")!.Api!.MutatingRequests.Where(r => r.Source == "kubectl").ToList();
        Assert.Equal(2, writes.Count);
        Assert.All(writes, w => Assert.Equal("PATCH", w.Method));
        Assert.Contains("fieldManager=lgtmlab", writes[1].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_side_apply_reports_created_unchanged_and_configured()
    {
        var file = Path.Combine(toolbox.StateDirectory, "cm.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v1\n");
        var created = await Kubectl("apply", "-f", file);
        var unchanged = await Kubectl("apply", "-f", file);
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v2\n");
        var configured = await Kubectl("apply", "-f", file);

        Assert.Equal(["configmap/a created\n", "configmap/a unchanged\n", "configmap/a configured\n"], new[] { created.Stdout, unchanged.Stdout, configured.Stdout });
    }

    [Fact]
    public async Task Get_node_prints_json_and_jsonpath_filters()
    {
        var json = await Kubectl("get", "nodes", "-o", "json");
        var ip = await Kubectl("get", "node", "lgtm-remote-control-plane", "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}");
        var cidr = await Kubectl("get", "node", "lgtm-remote-control-plane", "-o", "jsonpath={.spec.podCIDR}");

        var list = JsonNode.Parse(json.Stdout)!;
        Assert.Equal("List", (string?)list["kind"]);
        Assert.Equal("Node", (string?)list["items"]![0]!["kind"]);
        Assert.Equal("172.18.0.2", ip.Stdout);
        Assert.Equal("10.244.0.0/24", cidr.Stdout);
    }

    [Fact]
    public async Task Missing_objects_and_types_fail_like_kubectl()
    {
        var missing = await Kubectl("get", "configmap", "nope", "-n", "default");
        var ignored = await Kubectl("get", "configmap", "nope", "-n", "default", "--ignore-not-found");
        var none = await Kubectl("get", "configmaps", "-n", "default");
        var unknown = await Kubectl("get", "ipaddresspools");

        Assert.Equal((1, "Error from server (NotFound): configmaps \"nope\" not found\n"), (missing.ExitCode, missing.Stderr));
        Assert.Equal((0, "", ""), (ignored.ExitCode, ignored.Stdout, ignored.Stderr));
        Assert.Equal((0, "No resources found in default namespace.\n"), (none.ExitCode, none.Stderr));
        Assert.Equal((1, "error: the server doesn't have a resource type \"ipaddresspools\"\n"), (unknown.ExitCode, unknown.Stderr));
    }

    [Fact]
    public async Task Label_delete_wait_and_rollout_status_work()
    {
        var labeled = await Kubectl("label", "namespace", "kube-system", "config.linkerd.io/admission-webhooks=disabled", "--overwrite");
        var again = await Kubectl("label", "namespace", "kube-system", "config.linkerd.io/admission-webhooks=disabled", "--overwrite");
        var wait = await Kubectl("wait", "--for=condition=Available", "deployment/coredns", "-n", "kube-system", "--timeout=5s");
        var rollout = await Kubectl("rollout", "status", "daemonset/kindnet", "-n", "kube-system", "--timeout", "5s");
        await Kubectl("create", "namespace", "tns");
        var deleted = await Kubectl("delete", "namespace", "tns");

        Assert.Equal("namespace/kube-system labeled\n", labeled.Stdout);
        Assert.Equal("namespace/kube-system not labeled\n", again.Stdout);
        Assert.Equal("deployment.apps/coredns condition met\n", wait.Stdout);
        Assert.Equal("daemon set \"kindnet\" successfully rolled out\n", rollout.Stdout);
        Assert.Equal("namespace \"tns\" deleted\n", deleted.Stdout);
    }

    [Fact]
    public async Task Wait_times_out_on_a_workload_that_never_gets_ready()
    {
        toolbox.Cluster("lgtm-remote")!.Api!.HoldWorkloadsNotReady = true;

        var wait = await Kubectl("wait", "--for=condition=Available", "deployment/coredns", "-n", "kube-system", "--timeout=200ms");

        Assert.Equal((1, "error: timed out waiting for the condition on deployments/coredns\n"), (wait.ExitCode, wait.Stderr));
    }
}
