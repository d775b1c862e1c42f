using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Engine;

/// <summary>The real engine, CliWrap runner and KubernetesClient against the fake tools and fake API servers.</summary>
public sealed class LabControllerContractTests : IAsyncLifetime
{
    private const string Image = "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5";
    private ContractLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = ContractLab.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private FakeToolbox Toolbox => _lab.Toolbox;
    private string State(string relative) => Path.Combine(_lab.StateDirectory, relative);

    private static void AllSucceeded(IReadOnlyDictionary<string, StepOutcome> outcomes) =>
        Assert.True(outcomes.Values.All(o => o.Status == StepStatus.Succeeded),
            string.Join("\n", outcomes.Values.Where(o => o.Status != StepStatus.Succeeded).Select(o => $"{o.StepId}: {o.Status} {o.Message}")));

    [Fact]
    public async Task A_first_run_creates_the_lab_with_exactly_these_changes_in_dependency_order()
    {
        var outcomes = await _lab.RunAsync();

        AllSucceeded(outcomes);
        Assert.Equal(8, outcomes.Count);
        // kind moved current-context to its cluster; the lab set it back (how often depends on how the creates overlap)
        Assert.Contains("kubectl config unset current-context", Toolbox.Mutating.Select(i => i.CommandLine));
        var mutating = Toolbox.Mutating.Select(i => i.CommandLine).Where(c => c != "kubectl config unset current-context").ToList();
        string[] expected =
        [
            $"kind create cluster --name lgtm-central --config {State("clusters/lgtm-central/kind.yaml")} --image {Image} --wait 2m",
            $"kind create cluster --name lgtm-remote --config {State("clusters/lgtm-remote/kind.yaml")} --image {Image} --wait 2m",
            "docker exec lgtm-central-control-plane ip route replace 10.21.0.0/24 via " + Toolbox.Cluster("lgtm-remote")!.ControlPlane.IpAddress,
            "docker exec lgtm-remote-control-plane ip route replace 10.11.0.0/24 via " + Toolbox.Cluster("lgtm-central")!.ControlPlane.IpAddress,
            $"helm upgrade --install metallb metallb --repo https://metallb.github.io/metallb --version 0.16.1 --namespace metallb-system --create-namespace --kube-context kind-lgtm-central -f {AssetsFile("helm/metallb.yaml")} --wait --timeout 5m",
            $"helm upgrade --install metallb metallb --repo https://metallb.github.io/metallb --version 0.16.1 --namespace metallb-system --create-namespace --kube-context kind-lgtm-remote -f {AssetsFile("helm/metallb.yaml")} --wait --timeout 5m",
            $"kubectl --context kind-lgtm-central apply --server-side --field-manager lgtmlab -f {State("clusters/lgtm-central/manifests/metallb-pool.yaml")}",
            $"kubectl --context kind-lgtm-remote apply --server-side --field-manager lgtmlab -f {State("clusters/lgtm-remote/manifests/metallb-pool.yaml")}",
        ];
        Assert.Equal(expected.Order(), mutating.Order());

        int At(string prefix) => mutating.FindIndex(m => m.StartsWith(prefix, StringComparison.Ordinal));
        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            Assert.True(At($"kind create cluster --name {cluster}") < At($"helm upgrade --install metallb metallb --repo https://metallb.github.io/metallb --version 0.16.1 --namespace metallb-system --create-namespace --kube-context kind-{cluster}"));
            Assert.True(At($"helm upgrade --install metallb metallb --repo https://metallb.github.io/metallb --version 0.16.1 --namespace metallb-system --create-namespace --kube-context kind-{cluster}") < At($"kubectl --context kind-{cluster}"));
            Assert.True(At($"docker exec {cluster}-control-plane ip route") > Math.Max(At("kind create cluster --name lgtm-central"), At("kind create cluster --name lgtm-remote")));
        }

        var all = Toolbox.Invocations.Select(i => i.CommandLine).ToList();
        var firstChange = all.FindIndex(c => c.StartsWith("kind create", StringComparison.Ordinal));
        foreach (var preflight in new[] { "docker info --format {{json .}}", "kind version", "kubectl version --client -o json", "helm version --template {{.Version}}", "kind get clusters" })
            Assert.InRange(all.IndexOf(preflight), 0, firstChange);
    }

    [Fact]
    public async Task The_clusters_are_created_as_configured_with_routes_and_a_working_load_balancer_pool()
    {
        AllSucceeded(await _lab.RunAsync());

        var central = Toolbox.Cluster("lgtm-central")!;
        var remote = Toolbox.Cluster("lgtm-remote")!;
        Assert.Equal(("10.11.0.0/16", "10.12.0.0/16"), (central.PodSubnet, central.ServiceSubnet));
        Assert.Equal(("10.21.0.0/16", "10.22.0.0/16"), (remote.PodSubnet, remote.ServiceSubnet));
        Assert.Equal(remote.ControlPlane.IpAddress, central.ControlPlane.Routes["10.21.0.0/24"]);
        Assert.Equal(central.ControlPlane.IpAddress, remote.ControlPlane.Routes["10.11.0.0/24"]);
        Assert.Contains(central.Releases, r => r.Name == "metallb" && r.Status == "deployed");
    }

    [Fact]
    public async Task A_second_run_changes_nothing_and_says_up_to_date()
    {
        AllSucceeded(await _lab.RunAsync());
        Toolbox.ClearJournal();
        var secondRunStart = DateTimeOffset.UtcNow;

        var outcomes = await _lab.RunAsync();

        AllSucceeded(outcomes);
        Assert.Empty(Toolbox.Mutating);
        Assert.All(Toolbox.Clusters, c => Assert.DoesNotContain(c.Api!.MutatingRequests, r => r.At >= secondRunStart));
        Assert.All(outcomes.Values, o => Assert.Equal("Up to date", o.Message));
        Assert.All(outcomes.Values, o => Assert.False(o.Applied));
    }

    [Theory]
    [InlineData("^kind create cluster --name lgtm-remote ", "lgtm-remote/cluster")]
    [InlineData("^helm upgrade --install metallb .*kind-lgtm-central", "lgtm-central/metallb")]
    [InlineData("^kubectl --context kind-lgtm-remote apply", "lgtm-remote/metallb-pool")]
    public async Task A_run_killed_mid_way_is_completed_by_the_next(string slowCommand, string stepId)
    {
        Toolbox.AddLatency(slowCommand, TimeSpan.FromSeconds(20));
        using var cts = new CancellationTokenSource();
        var killer = Task.Run(async () =>
        {
            while (!_lab.Progress.Reports.Any(r => r.StepId == stepId && r.Message == "Applying")) await Task.Delay(20);
            // Killed while the slow command runs, however long the machine takes to get there.
            for (var waited = 0; !Toolbox.IsRunning(slowCommand) && waited < 60_000; waited += 20) await Task.Delay(20);
            await Task.Delay(200);
            cts.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _lab.RunAsync(cts.Token));
        await killer;
        var interrupted = Assert.Single(Toolbox.Invocations, i => i.Aborted);
        Assert.Matches(slowCommand, interrupted.CommandLine);
        var finishedBefore = _lab.Progress.Reports.Where(r => r.Status == StepStatus.Succeeded).Select(r => r.StepId).ToHashSet();
        Toolbox.ClearJournal();
        Toolbox.AddLatency(".", TimeSpan.Zero);

        var resumed = await _lab.RunAsync();

        AllSucceeded(resumed);
        Assert.Contains(interrupted.CommandLine, Toolbox.Mutating.Select(i => i.CommandLine));
        // (kubectl config: the kubeconfig's current-context put back after kind create, no step's own change)
        Assert.All(Toolbox.Mutating.Where(m => !m.CommandLine.StartsWith("kubectl config ", StringComparison.Ordinal)),
            m => Assert.DoesNotContain(StepOf(m), finishedBefore));
        Toolbox.ClearJournal();
        AllSucceeded(await _lab.RunAsync());
        Assert.Empty(Toolbox.Mutating);
    }

    /// <summary>Which step issues a mutating command (the commands name their cluster).</summary>
    private static string StepOf(ToolInvocation command)
    {
        var cluster = new[] { "lgtm-central", "lgtm-remote" }.Single(c => command.CommandLine.Contains(c + " ", StringComparison.Ordinal)
            || command.CommandLine.Contains(c + "-control-plane", StringComparison.Ordinal) || command.CommandLine.EndsWith(c, StringComparison.Ordinal));
        return command.Tool switch
        {
            "kind" => $"{cluster}/cluster",
            "docker" => $"{cluster}/routes",
            "helm" => $"{cluster}/metallb",
            "kubectl" => $"{cluster}/metallb-pool",
            _ => throw new InvalidOperationException(command.CommandLine),
        };
    }

    [Fact]
    public async Task An_edited_values_file_upgrades_only_its_releases()
    {
        AllSucceeded(await _lab.RunAsync());
        File.AppendAllText(AssetsFile("helm/metallb.yaml"), "prometheus:\n  scrapeAnnotations: true\n");
        Toolbox.ClearJournal();

        AllSucceeded(await _lab.RunAsync());

        Assert.Equal(["kind-lgtm-central", "kind-lgtm-remote"],
            Toolbox.Mutating.Select(m => { Assert.StartsWith("helm upgrade --install metallb", m.CommandLine, StringComparison.Ordinal); return m.Args[m.Args.ToList().IndexOf("--kube-context") + 1]; }).Order());
    }

    [Fact]
    public async Task An_upgrade_killed_mid_way_is_rolled_back_and_done_again_by_the_next_run()
    {
        AllSucceeded(await _lab.RunAsync());
        var upgradesBefore = CentralMetalLbUpgrades();
        File.AppendAllText(AssetsFile("helm/metallb.yaml"), "prometheus:\n  scrapeAnnotations: true\n");
        Toolbox.AddLatency("^helm upgrade --install metallb .*kind-lgtm-central", TimeSpan.FromSeconds(20));
        using var cts = new CancellationTokenSource();
        var killer = Task.Run(async () =>
        {
            while (!_lab.Progress.Reports.Any(r => r.StepId == "lgtm-central/metallb" && r.Message == "Applying")) await Task.Delay(20);
            await Task.Delay(500);
            cts.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _lab.RunAsync(cts.Token));
        await killer;
        Assert.Equal("pending-upgrade", Toolbox.Cluster("lgtm-central")!.Releases.Single(r => r.Name == "metallb").Status);
        Toolbox.AddLatency(".", TimeSpan.Zero);
        // The killed call is journaled when the fake notices the kill: wait for it so it is not counted below.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (CentralMetalLbUpgrades() <= upgradesBefore && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Toolbox.ClearJournal();

        AllSucceeded(await _lab.RunAsync());

        var central = Toolbox.Mutating.Where(m => m.CommandLine.Contains("kind-lgtm-central", StringComparison.Ordinal)).Select(m => string.Join(' ', m.Args.Take(2))).ToList();
        Assert.Equal(["rollback metallb", "upgrade --install"], central);
        Assert.Equal("deployed", Toolbox.Cluster("lgtm-central")!.Releases.Single(r => r.Name == "metallb").Status);

        int CentralMetalLbUpgrades() => Toolbox.Mutating.Count(m => m.CommandLine.StartsWith("helm upgrade --install metallb", StringComparison.Ordinal)
            && m.CommandLine.Contains("kind-lgtm-central", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_transient_failures_per_step_are_survived()
    {
        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            Toolbox.FailNext($"^kind create cluster --name {cluster} ", times: 2, stderr: "ERROR: failed to create cluster: failed to pull image \"kindest/node\": i/o timeout");
            Toolbox.FailNext($"^docker exec {cluster}-control-plane ip route replace", times: 2, stderr: "Error response from daemon: container 1f2e is not running");
            Toolbox.FailNext($"^helm upgrade --install metallb .*kind-{cluster} ", times: 2,
                stderr: "Error: Kubernetes cluster unreachable: Get \"https://127.0.0.1:40000/version\": dial tcp 127.0.0.1:40000: connect: connection refused");
            Toolbox.FailNext($"^kubectl --context kind-{cluster} apply", times: 2,
                stderr: "Error from server (InternalError): Internal error occurred: failed calling webhook \"ipaddresspoolvalidationwebhook.metallb.io\": connect: connection refused");
        }

        var outcomes = await _lab.RunAsync();

        AllSucceeded(outcomes);
        Assert.All(outcomes.Values, o => Assert.Equal(3, o.Attempts));
        Assert.Equal(4, Toolbox.Invocations.Count(i => i.CommandLine.StartsWith("kind create cluster", StringComparison.Ordinal) && i.ExitCode != 0));
    }

    [Fact]
    public async Task A_permanent_failure_stops_only_its_dependents_and_says_why()
    {
        Toolbox.FailNext("^helm upgrade --install metallb .*kind-lgtm-remote", times: 100,
            stderr: "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nmetallb:\n- speaker: Additional property tolerateMastr is not allowed");

        var outcomes = await _lab.RunAsync();

        Assert.Equal(StepStatus.Failed, outcomes["lgtm-remote/metallb"].Status);
        Assert.Contains("Additional property tolerateMastr is not allowed", outcomes["lgtm-remote/metallb"].Message, StringComparison.Ordinal);
        Assert.Contains("Hint: see what is not ready with `kubectl --context kind-lgtm-remote -n metallb-system get pods,events`", outcomes["lgtm-remote/metallb"].Message, StringComparison.Ordinal);
        Assert.Equal(1, outcomes["lgtm-remote/metallb"].Attempts);
        Assert.Equal(StepStatus.Blocked, outcomes["lgtm-remote/metallb-pool"].Status);
        Assert.StartsWith("Waiting on lgtm-remote-metallb", outcomes["lgtm-remote/metallb-pool"].Message, StringComparison.Ordinal);
        foreach (var ok in new[] { "lgtm-central/cluster", "lgtm-remote/cluster", "lgtm-central/routes", "lgtm-remote/routes", "lgtm-central/metallb", "lgtm-central/metallb-pool" })
            Assert.Equal(StepStatus.Succeeded, outcomes[ok].Status);
        Assert.DoesNotContain(Toolbox.Invocations, i => i.CommandLine.StartsWith("kubectl --context kind-lgtm-remote apply", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_reruns_the_failed_resource_and_what_waits_on_it()
    {
        var failure = Toolbox.FailNext("^helm upgrade --install metallb .*kind-lgtm-remote", times: 100, stderr: "Error: chart requires kubeVersion: >=1.99");
        using var controller = _lab.Controller();
        var progress = new RecordingProgress();
        await controller.RunAsync(progress, Loggers.None, CancellationToken.None);
        Assert.Equal(StepStatus.Failed, controller.Outcomes["lgtm-remote/metallb"].Status);
        failure.Remaining = 0;
        Toolbox.ClearJournal();

        await controller.RetryAsync("lgtm-remote-metallb", progress, Loggers.None, CancellationToken.None);

        AllSucceeded(controller.Outcomes.ToDictionary());
        Assert.Equal(
            [$"helm upgrade --install metallb", "kubectl --context kind-lgtm-remote apply"],
            Toolbox.Mutating.Select(m => string.Join(' ', m.CommandLine.Split(' ').Take(m.Tool == "helm" ? 4 : 4))).ToList());
    }

    [Fact]
    public async Task A_changed_cluster_configuration_is_not_applied_silently_but_asks_for_recreate()
    {
        AllSucceeded(await _lab.RunAsync());
        _lab.Set("Lab:Remotes:0:PodSubnet", "10.50.0.0/16");
        Toolbox.ClearJournal();

        var outcomes = await _lab.RunAsync();

        var failed = outcomes["lgtm-remote/cluster"];
        Assert.Equal(StepStatus.Failed, failed.Status);
        Assert.StartsWith("configuration of cluster lgtm-remote changed (podSubnet 10.21.0.0/16 -> 10.50.0.0/16): run the Recreate command", failed.Message, StringComparison.Ordinal);
        // The failure's progress says what it is, so the hosting layer can offer Recreate without reading the message.
        var drift = Assert.IsType<ClusterConfigurationChangedException>(
            _lab.Progress.Reports.Single(r => r.StepId == "lgtm-remote/cluster" && r.Status == StepStatus.Failed).Cause);
        Assert.Equal(("lgtm-remote", "podSubnet 10.21.0.0/16 -> 10.50.0.0/16"), (drift.Cluster, drift.Change));
        Assert.DoesNotContain(Toolbox.Mutating, m => m.Tool == "kind");
        Assert.Equal(StepStatus.Succeeded, outcomes["lgtm-central/metallb-pool"].Status);

        using var controller = _lab.Controller();
        await controller.RecreateClusterAsync("lgtm-remote", new RecordingProgress(), Loggers.None, CancellationToken.None);

        AllSucceeded(controller.Outcomes.ToDictionary());
        Assert.Equal("10.50.0.0/16", Toolbox.Cluster("lgtm-remote")!.PodSubnet);
        Assert.Equal(Toolbox.Cluster("lgtm-remote")!.ControlPlane.IpAddress, Toolbox.Cluster("lgtm-central")!.ControlPlane.Routes["10.50.0.0/24"]);
    }

    [Fact]
    public async Task Routes_lost_by_a_restarted_node_and_a_cluster_deleted_behind_the_labs_back_are_repaired()
    {
        AllSucceeded(await _lab.RunAsync());
        await Toolbox.RunAsync("docker", "exec", "lgtm-central-control-plane", "ip", "route", "del", "10.21.0.0/24");
        await Toolbox.RunAsync("kind", "delete", "cluster", "--name", "lgtm-remote");
        Toolbox.ClearJournal();

        AllSucceeded(await _lab.RunAsync());

        Assert.Contains(Toolbox.Mutating, m => m.CommandLine.StartsWith("kind create cluster --name lgtm-remote", StringComparison.Ordinal));
        Assert.Contains(Toolbox.Mutating, m => m.CommandLine.StartsWith("docker exec lgtm-central-control-plane ip route replace 10.21.0.0/24", StringComparison.Ordinal));
        Assert.DoesNotContain(Toolbox.Mutating, m => m.CommandLine.Contains("kind-lgtm-central", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_configuration_is_rejected_before_any_command()
    {
        _lab.Set("Lab:Central:PodSubnet", "10.11.0.0/16");
        _lab.Set("Lab:Remotes:0:PodSubnet", "10.11.0.0/16");
        var output = new StringWriter();

        var code = await LabCommandLine.TryRunAsync(_lab.Arguments("--delete-lab"), _lab.Options, output);
        var e = Assert.Throws<LgtmLab.AppHost.Configuration.LabConfigurationException>(() => _lab.Controller());

        Assert.Equal(2, code);
        Assert.Contains("Lab:Remotes:0:PodSubnet", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Lab:Remotes:0:PodSubnet: 10.11.0.0/16 overlaps Lab:Central:PodSubnet", e.Message, StringComparison.Ordinal);
        Assert.Empty(Toolbox.Invocations);
    }

    [Fact]
    public async Task Delete_lab_removes_clusters_contexts_and_the_state_folder()
    {
        AllSucceeded(await _lab.RunAsync());
        var output = new StringWriter();

        var code = await LabCommandLine.TryRunAsync(_lab.Arguments("--delete-lab"), _lab.Options, output);

        Assert.Equal(0, code);
        Assert.Empty(Toolbox.Clusters);
        Assert.False(Directory.Exists(_lab.StateDirectory));
        Assert.DoesNotContain("kind-lgtm", File.ReadAllText(Toolbox.KubeconfigPath), StringComparison.Ordinal);
        Assert.Contains("Lab 'lgtm' deleted.", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_lab_keeps_the_diagnostics_bundles_and_deletes_the_rest_of_the_state_folder()
    {
        AllSucceeded(await _lab.RunAsync());
        var bundle = Path.Combine(_lab.StateDirectory, "diagnostics", "20261207T120000Z");
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "summary.txt"), "collected before the delete");
        File.WriteAllText(bundle + ".zip", "zip");
        var before = Directory.EnumerateFileSystemEntries(_lab.StateDirectory).Select(Path.GetFileName).ToList();
        Assert.Contains(before, name => name != "diagnostics");

        var code = await LabCommandLine.TryRunAsync(_lab.Arguments("--delete-lab"), _lab.Options, new StringWriter());

        Assert.Equal(0, code);
        Assert.Equal(["diagnostics"], Directory.EnumerateFileSystemEntries(_lab.StateDirectory).Select(Path.GetFileName));
        Assert.Equal("collected before the delete", File.ReadAllText(Path.Combine(bundle, "summary.txt")));
        Assert.True(File.Exists(bundle + ".zip"));
    }

    private string AssetsFile(string relative) => Path.Combine(_lab.AssetsDirectory, relative);
}
