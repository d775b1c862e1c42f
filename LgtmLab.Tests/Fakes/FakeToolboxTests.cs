using System.Text.Json.Nodes;
using k8s;

namespace LgtmLab.Tests.Fakes;

public sealed class FakeToolboxTests : IAsyncLifetime
{
    private FakeToolbox _toolbox = null!;

    public Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    [Fact]
    public async Task Every_tool_reports_the_version_pinned_in_versions_yaml()
    {
        var kind = await _toolbox.RunAsync("kind", "version");
        var kubectl = await _toolbox.RunAsync("kubectl", "version", "--client", "-o", "json");
        var helm = await _toolbox.RunAsync("helm", "version", "--template", "{{.Version}}");
        var linkerd = await _toolbox.RunAsync("linkerd", "version", "--client", "--short");

        Assert.Matches(@"^kind v0\.32\.0 go1\.\d+\.\d+ linux/amd64\n$", kind.Stdout);
        Assert.Equal("v1.36.1", (string?)JsonNode.Parse(kubectl.Stdout)?["clientVersion"]?["gitVersion"]);
        Assert.Equal("v4.1.4", helm.Stdout);
        Assert.Equal("edge-26.8.3\n", linkerd.Stdout);
    }

    [Fact]
    public async Task The_journal_records_each_call_with_argv_exit_code_and_whether_it_mutates()
    {
        await _toolbox.RunAsync("kind", "get", "clusters");
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");

        Assert.Collection(_toolbox.Invocations,
            i => Assert.Equal(("kind get clusters", 0, false), (i.CommandLine, i.ExitCode, i.Mutating)),
            i => Assert.Equal(("kind create cluster --name lgtm-central", 0, true), (i.CommandLine, i.ExitCode, i.Mutating)),
            i => Assert.Equal(("kind create cluster --name lgtm-central", 1, true), (i.CommandLine, i.ExitCode, i.Mutating)));
        var lines = File.ReadAllLines(_toolbox.JournalPath).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(["create", "cluster", "--name", "lgtm-central"], lines[1]["argv"]!.AsArray().Select(a => (string?)a));
        Assert.True((bool?)lines[1]["mutating"]);
        Assert.Equal(1, (int?)lines[2]["exit"]);
        Assert.Equal(2, _toolbox.Mutating.Count);
    }

    [Fact]
    public async Task Kind_lists_no_clusters_on_stderr_then_the_created_ones()
    {
        var none = await _toolbox.RunAsync("kind", "get", "clusters");
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-remote");
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");
        var two = await _toolbox.RunAsync("kind", "get", "clusters");

        Assert.Equal((0, "", "No kind clusters found.\n"), (none.ExitCode, none.Stdout, none.Stderr));
        Assert.Equal("lgtm-central\nlgtm-remote\n", two.Stdout);
    }

    [Fact]
    public async Task A_created_cluster_is_reachable_with_the_real_kubernetes_client_through_the_kubeconfig_kind_wrote()
    {
        var config = Path.Combine(_toolbox.StateDirectory, "central.yaml");
        await File.WriteAllTextAsync(config, """
            kind: Cluster
            apiVersion: kind.x-k8s.io/v1alpha4
            networking:
              podSubnet: 10.11.0.0/16
              serviceSubnet: 10.12.0.0/16
            nodes:
              - role: control-plane
            """);

        var create = await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central", "--config", config,
            "--image", _toolbox.Versions.NodeImage, "--wait", "2m");

        Assert.Equal(0, create.ExitCode);
        Assert.Contains("Creating cluster \"lgtm-central\" ...", create.Stderr, StringComparison.Ordinal);
        Assert.Contains(" ✓ Ensuring node image (kindest/node:v1.36.1) 🖼️", create.Stderr, StringComparison.Ordinal);
        Assert.Contains("Set kubectl context to \"kind-lgtm-central\"", create.Stderr, StringComparison.Ordinal);
        Assert.Equal("", create.Stdout);
        var cluster = _toolbox.Cluster("lgtm-central")!;
        Assert.Contains("podSubnet: 10.11.0.0/16", cluster.Config, StringComparison.Ordinal);

        var clientConfig = KubernetesClientConfiguration.BuildConfigFromConfigFile(_toolbox.KubeconfigPath, "kind-lgtm-central");
        using var client = new k8s.Kubernetes(clientConfig);
        var node = Assert.Single((await client.CoreV1.ListNodeAsync()).Items);

        Assert.Equal("lgtm-central-control-plane", node.Metadata.Name);
        Assert.Equal("10.11.0.0/24", node.Spec.PodCIDR);
        var inspect = await _toolbox.RunAsync("docker", "inspect", "--format", "{{json .NetworkSettings.Networks}}", "lgtm-central-control-plane");
        var dockerIp = (string?)JsonNode.Parse(inspect.Stdout)?["kind"]?["IPAddress"];
        Assert.Equal("172.18.0.2", dockerIp);
        Assert.Equal(dockerIp, node.Status.Addresses.Single(a => a.Type == "InternalIP").Address);
    }

    [Fact]
    public async Task Creating_an_existing_cluster_fails_like_kind()
    {
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");

        var again = await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");

        Assert.Equal(1, again.ExitCode);
        Assert.Equal("ERROR: failed to create cluster: node(s) already exist for a cluster with the name \"lgtm-central\"\n", again.Stderr);
    }

    [Fact]
    public async Task A_kind_config_with_an_unknown_field_is_refused_with_the_line()
    {
        var config = Path.Combine(_toolbox.StateDirectory, "bad.yaml");
        await File.WriteAllTextAsync(config, "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  dnsDomain: central.cluster.local\n");

        var create = await _toolbox.RunAsync("kind", "create", "cluster", "--name", "x", "--config", config);

        Assert.Equal(1, create.ExitCode);
        Assert.Contains("line 4: field dnsDomain not found in type v1alpha4.Networking", create.Stderr, StringComparison.Ordinal);
        Assert.Empty(_toolbox.Clusters);
    }

    [Fact]
    public async Task The_kind_network_appears_with_the_first_cluster()
    {
        var before = await _toolbox.RunAsync("docker", "network", "inspect", "kind", "--format", "{{json .IPAM.Config}}");
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");
        var after = await _toolbox.RunAsync("docker", "network", "inspect", "kind", "--format", "{{json .IPAM.Config}}");

        Assert.Equal((1, "Error response from daemon: network kind not found\n"), (before.ExitCode, before.Stderr));
        Assert.Equal("[{\"Subnet\":\"172.18.0.0/16\",\"Gateway\":\"172.18.0.1\"},{\"Subnet\":\"fc00:f853:ccd:e793::/64\"}]\n", after.Stdout);
    }

    [Fact]
    public async Task Docker_info_reports_memory_and_cpus_and_fails_like_docker_when_the_daemon_is_down()
    {
        _toolbox.Docker.MemTotalBytes = 6L * 1024 * 1024 * 1024;
        var up = await _toolbox.RunAsync("docker", "info", "--format", "{{json .}}");
        _toolbox.Docker.DaemonRunning = false;
        var down = await _toolbox.RunAsync("docker", "info", "--format", "{{json .}}");

        var info = JsonNode.Parse(up.Stdout)!;
        Assert.Equal(6L * 1024 * 1024 * 1024, (long?)info["MemTotal"]);
        Assert.Equal(4, (int?)info["NCPU"]);
        Assert.Equal("28.2.2", (string?)info["ServerVersion"]);
        Assert.Equal(1, down.ExitCode);
        Assert.Equal("", (string?)JsonNode.Parse(down.Stdout)?["ServerVersion"]);
        Assert.Equal(FakeToolErrors.DockerDaemonDown + "\n", down.Stderr);
    }

    [Fact]
    public async Task Kind_cannot_create_a_cluster_while_docker_is_down()
    {
        _toolbox.Docker.DaemonRunning = false;

        var create = await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");

        Assert.Equal(1, create.ExitCode);
        Assert.Contains("Cannot connect to the Docker daemon", create.Stderr, StringComparison.Ordinal);
        Assert.Empty(_toolbox.Clusters);
    }

    [Fact]
    public async Task Without_docker_installed_the_path_given_to_tests_has_no_docker()
    {
        _toolbox.Docker.Installed = false;

        var found = _toolbox.PathVariable.Split(':').Select(d => Path.Combine(d, "docker")).Where(File.Exists);

        Assert.Empty(found);
        Assert.DoesNotContain("/usr/local/bin", _toolbox.PathVariable.Split(':'));
        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            _toolbox.Locator.ResolveAsync("docker", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None));
    }

    [Fact]
    public async Task Routes_are_stored_per_node_and_shown_by_ip_route_show()
    {
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-remote");

        var missing = await _toolbox.RunAsync("docker", "exec", "lgtm-central-control-plane", "ip", "route", "show", "10.245.0.0/24");
        var replace = await _toolbox.RunAsync("docker", "exec", "lgtm-central-control-plane", "ip", "route", "replace", "10.245.0.0/24", "via", "172.18.0.3");
        var shown = await _toolbox.RunAsync("docker", "exec", "lgtm-central-control-plane", "ip", "route", "show", "10.245.0.0/24");
        var badGateway = await _toolbox.RunAsync("docker", "exec", "lgtm-central-control-plane", "ip", "route", "replace", "10.245.0.0/24", "via", "10.0.0.1");

        Assert.Equal((0, ""), (missing.ExitCode, missing.Stdout));
        Assert.Equal(0, replace.ExitCode);
        Assert.Equal("10.245.0.0/24 via 172.18.0.3 dev eth0\n", shown.Stdout);
        Assert.Equal((2, "Error: Nexthop has invalid gateway.\n"), (badGateway.ExitCode, badGateway.Stderr));
        Assert.Equal(new Dictionary<string, string> { ["10.245.0.0/24"] = "172.18.0.3" }, _toolbox.Cluster("lgtm-central")!.ControlPlane.Routes);
        var journal = _toolbox.Invocations.Where(i => i.Tool == "docker").ToList();
        Assert.Equal([false, true, false, true], journal.Select(i => i.Mutating));
    }

    [Fact]
    public async Task Injected_failures_hit_the_next_matching_calls_then_stop()
    {
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");
        var failure = _toolbox.FailNext("^kubectl .*apply", times: 2, exitCode: 1, stderr: FakeToolErrors.KubectlConnectionRefused());

        var first = await ApplyNamespace("tns");
        var second = await ApplyNamespace("tns");
        var third = await ApplyNamespace("tns");

        Assert.Equal((1, "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n"), (first.ExitCode, first.Stderr));
        Assert.Equal(1, second.ExitCode);
        Assert.Equal((0, "namespace/tns serverside-applied\n"), (third.ExitCode, third.Stdout));
        Assert.Equal((2, 0), (failure.Hits, failure.Remaining));
    }

    [Fact]
    public async Task An_after_effect_failure_does_the_work_then_fails()
    {
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");
        _toolbox.FailNext("^kubectl .*apply", afterEffect: true, stderr: "error: unexpected EOF");

        var create = await ApplyNamespace("tns");

        Assert.Equal(1, create.ExitCode);
        Assert.NotNull(_toolbox.Cluster("lgtm-central")!.Api!.Get("v1", "Namespace", null, "tns"));
    }

    [Fact]
    public async Task Latency_makes_calls_slow_and_a_kind_killed_mid_create_leaves_nodes_without_a_kubeconfig_entry()
    {
        _toolbox.AddLatency("^kind create cluster", TimeSpan.FromSeconds(30));
        using var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _toolbox.RunAsync("kind", ["create", "cluster", "--name", "lgtm-central"], null, kill.Token));
        await WaitUntil(() => _toolbox.Invocations.Count == 1);

        Assert.True(_toolbox.Invocations[0].Aborted);
        Assert.Equal("lgtm-central\n", (await _toolbox.RunAsync("kind", "get", "clusters")).Stdout);
        Assert.False(_toolbox.Cluster("lgtm-central")!.IsReady);
        Assert.DoesNotContain("kind-lgtm-central", File.Exists(_toolbox.KubeconfigPath) ? await File.ReadAllTextAsync(_toolbox.KubeconfigPath) : "", StringComparison.Ordinal);
        var retry = await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");
        Assert.Contains("node(s) already exist", retry.Stderr, StringComparison.Ordinal);
        var delete = await _toolbox.RunAsync("kind", "delete", "cluster", "--name", "lgtm-central");
        Assert.Equal((0, "Deleting cluster \"lgtm-central\" ...\nDeleted nodes: [\"lgtm-central-control-plane\"]\n"), (delete.ExitCode, delete.Stderr));
        Assert.Empty(_toolbox.Clusters);
    }

    [Fact]
    public async Task Kind_delete_removes_the_kubeconfig_entries_and_stops_the_api_server()
    {
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");
        var api = _toolbox.Cluster("lgtm-central")!.Api!;

        await _toolbox.RunAsync("kind", "delete", "cluster", "--name", "lgtm-central");
        var kubectl = await ApplyNamespace("tns");

        Assert.False(api.IsRunning);
        Assert.DoesNotContain("kind-lgtm-central", await File.ReadAllTextAsync(_toolbox.KubeconfigPath), StringComparison.Ordinal);
        Assert.Equal((1, "error: context \"kind-lgtm-central\" does not exist\n"), (kubectl.ExitCode, kubectl.Stderr));
    }

    [Fact]
    public async Task Kubectl_config_delete_context_edits_the_kubeconfig()
    {
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");

        var deleted = await _toolbox.RunAsync("kubectl", "config", "delete-context", "kind-lgtm-central");
        var again = await _toolbox.RunAsync("kubectl", "config", "delete-context", "kind-lgtm-central");

        Assert.Equal($"deleted context kind-lgtm-central from {_toolbox.KubeconfigPath}\n", deleted.Stdout);
        Assert.Equal((1, $"error: cannot delete context kind-lgtm-central, not in {_toolbox.KubeconfigPath}\n"), (again.ExitCode, again.Stderr));
    }

    private Task<FakeRunResult> ApplyNamespace(string name) => _toolbox.RunAsync("kubectl",
        ["--context", "kind-lgtm-central", "apply", "--server-side", "--field-manager", "lgtmlab", "-f", "-"],
        $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n", CancellationToken.None);

    internal static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(25);
        Assert.True(condition());
    }
}
