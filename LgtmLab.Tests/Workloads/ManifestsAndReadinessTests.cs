using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Workloads;

namespace LgtmLab.Tests.Workloads;

/// <summary>A user's folder of manifests, a workload's health from its own readiness, and its place after Linkerd and Alloy.</summary>
public sealed class ManifestsAndReadinessTests : IAsyncLifetime
{
    private UserWorkloadLab _lab = null!;
    private string _folder = "";

    public Task InitializeAsync()
    {
        _lab = UserWorkloadLab.Create();
        _folder = Directory.CreateDirectory(Path.Combine(_lab.Root, "k8s")).FullName;
        File.WriteAllText(Path.Combine(_folder, "00-namespace.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n");
        File.WriteAllText(Path.Combine(_folder, "10-web.yaml"), """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: web
            spec:
              replicas: 1
              selector:
                matchLabels: { app: web }
              template:
                metadata:
                  labels: { app: web }
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27
            """);
        File.WriteAllText(Path.Combine(_folder, "README.md"), "not a manifest");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private ManifestsWorkload Folder => new("lgtm-remote", "web", _folder);

    [Fact]
    public async Task A_folder_is_applied_server_side_as_one_file_is_healthy_when_its_Deployment_is_and_a_re_run_changes_nothing()
    {
        using (var controller = await _lab.RunAsync(Folder))
        {
            Assert.Equal(StepStatus.Succeeded, controller.Outcomes["lgtm-remote/web"].Status);
            var apply = Assert.Single(_lab.Toolbox.Mutating, c => c.Tool == "kubectl" && c.Args[^1].EndsWith("/web.yaml", StringComparison.Ordinal));
            Assert.Equal(["--context", "kind-lgtm-remote", "apply", "--server-side", "--field-manager", "lgtmlab", "-f"], apply.Args.SkipLast(1));
            var probe = await controller.Resources.Single(r => r.Name == "lgtm-remote-web").Probe!(CancellationToken.None);
            Assert.True(probe.Healthy, probe.Description);
            Assert.Contains("web/web", probe.Description, StringComparison.Ordinal);
        }
        _lab.Toolbox.ClearJournal();

        using var again = await _lab.RunAsync(Folder);

        Assert.All(again.Outcomes.Values, o => Assert.Equal(StepStatus.Succeeded, o.Status));
        Assert.Empty(_lab.Toolbox.Mutating);
    }

    [Fact]
    public async Task A_deleted_Deployment_of_the_folder_is_applied_again()
    {
        (await _lab.RunAsync(Folder)).Dispose();
        var deleted = await _lab.Toolbox.RunAsync("kubectl", "--context", "kind-lgtm-remote", "delete", "deployment", "web", "-n", "web");
        Assert.True(deleted.ExitCode == 0, deleted.Stderr);
        _lab.Toolbox.ClearJournal();

        using var controller = await _lab.RunAsync(Folder);

        Assert.Single(_lab.Toolbox.Mutating);
        Assert.Equal(StepStatus.Succeeded, controller.Outcomes["lgtm-remote/web"].Status);
    }

    [Fact]
    public async Task A_workload_whose_pods_are_not_ready_is_unhealthy_and_says_which()
    {
        using var controller = await _lab.RunAsync(_lab.Project());
        _lab.Toolbox.Cluster("lgtm-remote")!.Api!.HoldWorkloadsNotReady = true;
        await _lab.Toolbox.RunAsync("kubectl", "--context", "kind-lgtm-remote", "delete", "deployment", "orders", "-n", "orders");
        (await _lab.RunAsync(_lab.Project())).Dispose();

        var probe = await controller.Resources.Single(r => r.Name == "lgtm-remote-orders").Probe!(CancellationToken.None);

        Assert.False(probe.Healthy);
        Assert.Contains("orders/orders (0/1 ready)", probe.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_folder_fails_its_resource_naming_the_folder_and_the_fix()
    {
        var missing = Path.Combine(_lab.Root, "gone");
        using var controller = await _lab.RunAsync(new ManifestsWorkload("lgtm-remote", "web", missing));

        var failed = controller.Outcomes["lgtm-remote/web"];
        Assert.Equal(StepStatus.Failed, failed.Status);
        Assert.Contains($"the manifests folder {missing} does not exist", failed.Message, StringComparison.Ordinal);
        Assert.Contains("fix the folder", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_kind_of_workload_waits_for_Linkerd_and_Alloy_on_its_cluster_only_when_the_plan_has_them()
    {
        LabWorkload[] workloads = [_lab.Chart() with { Cluster = "lgtm-remote" }, _lab.Project(), Folder];
        using var alone = _lab.Controller(workloads);
        using var withOthers = LabController.FromConfiguration(_lab.Lab.Configuration, _lab.Lab.Options with
        {
            Contributions = [new StandIn("alloy"), new StandIn("linkerd-control-plane"), new WorkloadContribution(workloads)],
        });

        string[] earlier = ["lgtm-remote/alloy", "lgtm-remote/linkerd-control-plane"];
        foreach (var id in new[] { "lgtm-remote/hello", "lgtm-remote/orders", "lgtm-remote/web" })
        {
            Assert.Empty(alone.Plan.Graph.Steps.Single(s => s.Id == id).DependsOn.Intersect(earlier));
            Assert.Equal(earlier, withOthers.Plan.Graph.Steps.Single(s => s.Id == id).DependsOn.Intersect(earlier));
        }
    }

    /// <summary>Another part's release step on every remote, standing in for the mesh and LGTM parts.</summary>
    private sealed class StandIn(string release) : ILabPlanContribution
    {
        public void AddTo(LabPlanBuilder plan)
        {
            foreach (var remote in plan.Topology.Remotes)
                plan.AddStep(new NoOpStep(StepIds.Release(remote.Name, release), StepIds.Resource(remote.Name, release)))
                    .AddResource(new LabResource(StepIds.Resource(remote.Name, release), remote.Name, "HelmRelease", new Dictionary<string, string>()));
        }
    }

    private sealed class NoOpStep(string id, string resource) : Step
    {
        public override string Id => id;
        public override string ResourceName => resource;
        public override string Fingerprint => "none";
        public override Task<bool> CheckAsync(StepContext context) => Task.FromResult(true);
        public override Task ApplyAsync(StepContext context) => Task.CompletedTask;
    }
}
