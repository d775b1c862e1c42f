using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes;

public sealed class FakeHelmTests : IAsyncLifetime
{
    private const string Context = "kind-lgtm-central";
    private FakeToolbox _toolbox = null!;
    private string _values = "";

    public async Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create(new FakeToolboxOptions { LoadBalancerDelay = TimeSpan.FromMilliseconds(10) });
        _values = Path.Combine(_toolbox.StateDirectory, "metallb.yaml");
        await File.WriteAllTextAsync(_values, "controller:\n  logLevel: info\n");
        Assert.Equal(0, (await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central")).ExitCode);
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    private Task<FakeRunResult> InstallMetallb(params string[] extra) => _toolbox.RunAsync("helm",
        ["upgrade", "--install", "metallb", "metallb", "--repo", "https://metallb.github.io/metallb", "--version", "0.16.1",
            "--namespace", "metallb-system", "--create-namespace", "--kube-context", Context, "-f", _values, .. extra]);

    [Fact]
    public async Task Upgrade_install_installs_then_upgrades_with_helms_output()
    {
        var install = await InstallMetallb("--wait", "--timeout", "5m");
        var upgrade = await InstallMetallb();

        Assert.Equal(0, install.ExitCode);
        Assert.StartsWith("Release \"metallb\" does not exist. Installing it now.\nNAME: metallb\nLAST DEPLOYED: ", install.Stdout, StringComparison.Ordinal);
        Assert.Contains("NAMESPACE: metallb-system\nSTATUS: deployed\nREVISION: 1\nDESCRIPTION: Install complete\nTEST SUITE: None\n", install.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("Release \"metallb\" has been upgraded. Happy Helming!\n", upgrade.Stdout, StringComparison.Ordinal);
        Assert.Contains("REVISION: 2\n", upgrade.Stdout, StringComparison.Ordinal);
        var release = Assert.Single(_toolbox.Cluster("lgtm-central")!.Releases);
        Assert.Equal(("metallb", "metallb-system", 2, "deployed", "metallb-0.16.1"), (release.Name, release.Namespace, release.Revision, release.Status, release.ChartReference));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_values))), release.ValuesSha256);
    }

    [Fact]
    public async Task List_prints_helms_json()
    {
        await InstallMetallb();

        var list = await _toolbox.RunAsync("helm", "list", "--namespace", "metallb-system", "--kube-context", Context, "-o", "json");

        var row = Assert.Single(JsonNode.Parse(list.Stdout)!.AsArray())!;
        Assert.Equal("metallb", (string?)row["name"]);
        Assert.Equal("metallb-system", (string?)row["namespace"]);
        Assert.Equal("1", (string?)row["revision"]);
        Assert.Equal("deployed", (string?)row["status"]);
        Assert.Equal("metallb-0.16.1", (string?)row["chart"]);
        Assert.Equal("v0.16.1", (string?)row["app_version"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$", (string?)row["updated"]);
    }

    [Fact]
    public async Task List_prints_helms_padded_tab_separated_table()
    {
        await InstallMetallb();

        var list = await _toolbox.RunAsync("helm", "list", "-A", "--kube-context", Context);

        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME   \tNAMESPACE     \tREVISION\tUPDATED ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("\tSTATUS  \tCHART         \tAPP VERSION", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^metallb\tmetallb-system\t1       \t.+ \+0000 UTC\tdeployed\tmetallb-0\.16\.1\tv0\.16\.1    $", lines[1]);
    }

    [Fact]
    public async Task Get_values_returns_the_user_supplied_values()
    {
        await InstallMetallb("--set", "speaker.enabled=false");

        var got = await _toolbox.RunAsync("helm", "get", "values", "metallb", "-n", "metallb-system", "--kube-context", Context, "-o", "json");

        Assert.Equal("{\"controller\":{\"logLevel\":\"info\"},\"speaker\":{\"enabled\":false}}\n", got.Stdout);
    }

    [Fact]
    public async Task The_chart_creates_its_crds_so_metallb_pools_apply_afterwards_and_load_balancers_get_addresses()
    {
        var pool = Path.Combine(_toolbox.StateDirectory, "pool.yaml");
        await File.WriteAllTextAsync(pool, """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata:
              name: lgtm-central-pool
              namespace: metallb-system
            spec:
              addresses: ["172.18.255.201-172.18.255.210"]
            ---
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata:
              name: lgtm-central-l2
              namespace: metallb-system
            """);
        var apply = new[] { "--context", Context, "apply", "--server-side", "--field-manager", "lgtmlab", "-f", pool };

        var early = await _toolbox.RunAsync("kubectl", apply);
        await InstallMetallb();
        var applied = await _toolbox.RunAsync("kubectl", apply);
        var traefik = await _toolbox.RunAsync("helm", "upgrade", "--install", "traefik", "traefik", "--repo", "https://traefik.github.io/charts",
            "--version", "41.3.0", "-n", "traefik", "--create-namespace", "--kube-context", Context);

        Assert.Equal(1, early.ExitCode);
        Assert.Contains("no matches for kind \"IPAddressPool\" in version \"metallb.io/v1beta1\"\nensure CRDs are installed first", early.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, "ipaddresspool.metallb.io/lgtm-central-pool serverside-applied\nl2advertisement.metallb.io/lgtm-central-l2 serverside-applied\n"), (applied.ExitCode, applied.Stdout));
        Assert.Equal(0, traefik.ExitCode);
        var api = _toolbox.Cluster("lgtm-central")!.Api!;
        await FakeToolboxTests.WaitUntil(() => api.Get("v1", "Service", "traefik", "traefik")?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"] is not null);
        Assert.Equal("172.18.255.201", (string?)api.Get("v1", "Service", "traefik", "traefik")!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);
        Assert.Equal(1, api.Get("apps/v1", "Deployment", "metallb-system", "metallb-controller")!["status"]!["readyReplicas"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_version_that_is_not_pinned_is_not_found_in_the_repository()
    {
        var result = await _toolbox.RunAsync("helm", "upgrade", "--install", "metallb", "metallb", "--repo", "https://metallb.github.io/metallb",
            "--version", "9.9.9", "-n", "metallb-system", "--create-namespace", "--kube-context", Context);

        Assert.Equal((1, "Error: chart \"metallb\" version \"9.9.9\" not found in https://metallb.github.io/metallb repository\n"), (result.ExitCode, result.Stderr));
    }

    [Fact]
    public async Task A_missing_namespace_without_create_namespace_fails()
    {
        var result = await _toolbox.RunAsync("helm", "upgrade", "--install", "metallb", "metallb", "--repo", "https://metallb.github.io/metallb",
            "--version", "0.16.1", "-n", "metallb-system", "--kube-context", Context);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: create: failed to create: namespaces \"metallb-system\" not found\n", result.Stderr);
    }

    [Fact]
    public async Task A_helm_killed_mid_install_leaves_the_release_locked_until_it_is_uninstalled()
    {
        _toolbox.AddLatency("^helm upgrade", TimeSpan.FromSeconds(30));
        using var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _toolbox.RunAsync("helm",
            ["upgrade", "--install", "metallb", "metallb", "--repo", "https://metallb.github.io/metallb", "--version", "0.16.1",
                "-n", "metallb-system", "--create-namespace", "--kube-context", Context], null, kill.Token));
        await FakeToolboxTests.WaitUntil(() => _toolbox.Invocations.Count == 2);
        _toolbox.ClearLatencies();

        var locked = await InstallMetallb();
        var status = await _toolbox.RunAsync("helm", "status", "metallb", "-n", "metallb-system", "--kube-context", Context, "-o", "json");
        var uninstall = await _toolbox.RunAsync("helm", "uninstall", "metallb", "-n", "metallb-system", "--kube-context", Context);
        var reinstall = await InstallMetallb();

        Assert.Equal((1, FakeToolErrors.HelmAnotherOperationInProgress + "\n"), (locked.ExitCode, locked.Stderr));
        Assert.Equal("pending-install", (string?)JsonNode.Parse(status.Stdout)?["info"]?["status"]);
        Assert.Equal("release \"metallb\" uninstalled\n", uninstall.Stdout);
        Assert.Equal(0, reinstall.ExitCode);
    }

    [Fact]
    public async Task Wait_waits_out_its_timeout_then_names_each_workload_not_ready_as_helm_v4_does()
    {
        _toolbox.Cluster("lgtm-central")!.Api!.HoldWorkloadsNotReady = true;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await InstallMetallb("--wait", "--timeout", "2s");

        // helm v4.1.4 pkg/kube/statuswait.go wait(): errors.Join of each resource not Current, then ctx.Err().
        Assert.Equal((1,
            "Error: resource Deployment/metallb-system/metallb-controller not ready. status: InProgress, message: Available: 0/1\n"
            + "resource DaemonSet/metallb-system/metallb-speaker not ready. status: InProgress, message: Available: 0/1\n"
            + "context deadline exceeded\n"), (result.ExitCode, result.Stderr));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        Assert.Equal("failed", _toolbox.Cluster("lgtm-central")!.Releases.Single().Status);
    }

    [Fact]
    public async Task Wait_returns_as_soon_as_the_workloads_become_ready()
    {
        var api = _toolbox.Cluster("lgtm-central")!.Api!;
        api.HoldWorkloadsNotReady = true;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var release = Task.Run(async () => { await Task.Delay(500); api.HoldWorkloadsNotReady = false; });

        var result = await InstallMetallb("--wait", "--timeout", "1m");
        await release;

        Assert.Equal(0, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal("deployed", _toolbox.Cluster("lgtm-central")!.Releases.Single().Status);
    }

    [Fact]
    public async Task Uninstall_removes_the_charts_objects_but_keeps_its_crds()
    {
        await InstallMetallb();

        var result = await _toolbox.RunAsync("helm", "uninstall", "metallb", "-n", "metallb-system", "--kube-context", Context);

        var api = _toolbox.Cluster("lgtm-central")!.Api!;
        Assert.Equal(0, result.ExitCode);
        Assert.Null(api.Get("apps/v1", "Deployment", "metallb-system", "metallb-controller"));
        Assert.NotNull(api.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "ipaddresspools.metallb.io"));
        Assert.Empty(_toolbox.Cluster("lgtm-central")!.Releases);
    }
}
