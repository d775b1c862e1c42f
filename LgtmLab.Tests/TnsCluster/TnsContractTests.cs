using k8s;
using k8s.Models;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tns;
using LgtmLab.Tests.Engine;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.TnsCluster;

/// <summary>
/// The TNS part on the real engine against the fake tools: the image is built (fake `dotnet publish`) and loaded
/// into the remote's node once per source, the manifests are applied, and re-runs change nothing until the code does.
/// </summary>
public sealed class TnsContractTests : IAsyncLifetime
{
    private ContractLab _lab = null!;
    private string _sourceRoot = "";

    public Task InitializeAsync()
    {
        _lab = ContractLab.Create();
        // A source tree of its own, so a test can edit the code; the fake dotnet only needs the project file.
        _sourceRoot = Path.Combine(_lab.Toolbox.Root, "checkout");
        var project = Directory.CreateDirectory(Path.Combine(_sourceRoot, TnsSampleSource.ProjectFolder)).FullName;
        File.WriteAllText(Path.Combine(project, TnsSampleSource.ProjectFile), "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />\n");
        File.WriteAllText(Path.Combine(project, "Program.cs"), "// version 1\n");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private async Task<LabController> RunAsync()
    {
        var controller = LabController.FromConfiguration(_lab.Configuration, _lab.Options with
        {
            Contributions = [new TnsContribution(new TnsSampleSource(_sourceRoot))],
        });
        await controller.RunAsync(new RecordingProgress(), Loggers.None, CancellationToken.None);
        return controller;
    }

    private IKubernetes Remote => new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_lab.Toolbox.KubeconfigPath, "kind-lgtm-remote"));

    [Fact]
    public async Task A_first_run_builds_the_image_once_loads_it_into_the_remote_and_runs_db_app_loadgen_there()
    {
        using var controller = await RunAsync();

        Assert.All(controller.Outcomes.Values, o => Assert.Equal(StepStatus.Succeeded, o.Status));
        var tag = new TnsSampleSource(_sourceRoot).Fingerprint[..16];
        var publish = Assert.Single(_lab.Toolbox.Invocations, i => i.Tool == "dotnet");
        Assert.Contains("-t:PublishContainer", publish.Args);
        Assert.Contains($"-p:ContainerImageTag={tag}", publish.Args);
        Assert.Contains("-p:ContainerBaseImage=mcr.microsoft.com/dotnet/aspnet:10.0", publish.Args);
        Assert.Equal([$"docker.io/lgtmlab/tns:{tag}"], _lab.Toolbox.Cluster("lgtm-remote")!.LoadedImages);
        Assert.Empty(_lab.Toolbox.Cluster("lgtm-central")!.LoadedImages);

        var deployments = await Remote.AppsV1.ListNamespacedDeploymentAsync("tns");
        Assert.Equal(["app", "db", "loadgen"], deployments.Items.Select(d => d.Metadata.Name).Order());
        Assert.All(deployments.Items, d => Assert.Equal($"lgtmlab/tns:{tag}", d.Spec.Template.Spec.Containers[0].Image));
        var resource = Assert.Single(controller.Resources, r => r.Name == "lgtm-remote-tns");
        Assert.Equal("lgtm-remote", resource.Parent);
        Assert.DoesNotContain(controller.Resources, r => r.Name == "lgtm-central-tns");
        var probe = await resource.Probe!(CancellationToken.None);
        Assert.True(probe.Healthy, probe.Description);
    }

    [Fact]
    public async Task A_second_run_neither_rebuilds_nor_reloads_nor_changes_anything()
    {
        (await RunAsync()).Dispose();
        _lab.Toolbox.ClearJournal();

        using var controller = await RunAsync();

        Assert.All(controller.Outcomes.Values, o => Assert.Equal(StepStatus.Succeeded, o.Status));
        Assert.Empty(_lab.Toolbox.Mutating);
        Assert.DoesNotContain(_lab.Toolbox.Invocations, i => i.Tool == "dotnet");
        Assert.Contains(_lab.Toolbox.Invocations, i => i.CommandLine == "docker exec lgtm-remote-control-plane crictl images -o json");
    }

    [Fact]
    public async Task Changed_code_gets_a_new_tag_built_loaded_and_rolled_out_and_nothing_else_changes()
    {
        (await RunAsync()).Dispose();
        File.WriteAllText(Path.Combine(_sourceRoot, TnsSampleSource.ProjectFolder, "Program.cs"), "// version 2\n");
        var tag = new TnsSampleSource(_sourceRoot).Fingerprint[..16];
        _lab.Toolbox.ClearJournal();

        using var controller = await RunAsync();

        Assert.Equal(
            ["dotnet publish", "kind load", "kubectl apply"],
            _lab.Toolbox.Mutating.Select(i => $"{i.Tool} {MutatingCommands.Verbs(i.Tool, i.Args)[0]}"));
        Assert.Contains($"docker.io/lgtmlab/tns:{tag}", _lab.Toolbox.Cluster("lgtm-remote")!.LoadedImages);
        Assert.Equal([$"tns-{tag}"], Directory.GetDirectories(Path.Combine(_lab.StateDirectory, "images")).Select(Path.GetFileName));
        var app = await Remote.AppsV1.ReadNamespacedDeploymentAsync("app", "tns");
        Assert.Equal($"lgtmlab/tns:{tag}", app.Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task An_image_missing_from_the_node_is_loaded_again_from_the_archive_without_a_rebuild()
    {
        (await RunAsync()).Dispose();
        var remote = _lab.Toolbox.Cluster("lgtm-remote")!;
        remote.ForgetLoadedImages();
        _lab.Toolbox.ClearJournal();

        using var controller = await RunAsync();

        Assert.Equal(["kind load"], _lab.Toolbox.Mutating.Select(i => $"{i.Tool} {MutatingCommands.Verbs(i.Tool, i.Args)[0]}"));
        Assert.Single(remote.LoadedImages);
    }

    [Fact]
    public async Task With_the_mesh_in_the_plan_TNS_is_applied_after_Linkerd_into_a_meshed_namespace()
    {
        using var controller = LabController.FromConfiguration(_lab.Configuration, _lab.Options with
        {
            Contributions = [new AppHost.Mesh.MeshContribution(), new TnsContribution(new TnsSampleSource(_sourceRoot))],
        });
        await controller.RunAsync(new RecordingProgress(), Loggers.None, CancellationToken.None);

        Assert.All(controller.Outcomes.Values, o => Assert.True(o.Status == StepStatus.Succeeded, $"{o.StepId}: {o.Status} {o.Message}"));
        Assert.Contains(StepIds.Release("lgtm-remote", "linkerd-control-plane"), controller.Plan.Graph.Steps.Single(s => s.Id == StepIds.Tns("lgtm-remote")).DependsOn);
        var ns = await Remote.CoreV1.ReadNamespaceAsync("tns");
        Assert.Equal("enabled", ns.Metadata.Annotations["linkerd.io/inject"]);
    }

    [Fact]
    public async Task With_TNS_off_nothing_is_planned()
    {
        _lab.Set("Lab:Components:Tns", "false");
        using var controller = await RunAsync();

        Assert.DoesNotContain(controller.Plan.Graph.Steps, s => s.Id.EndsWith("/tns", StringComparison.Ordinal) || s.Id.EndsWith("/tns-image", StringComparison.Ordinal));
        Assert.DoesNotContain(controller.Resources, r => r.Name.EndsWith("-tns", StringComparison.Ordinal));
    }

    [Fact]
    public void The_manifests_wait_for_Alloy_and_Linkerd_only_when_the_plan_has_them()
    {
        var alone = LabController.FromConfiguration(_lab.Configuration, _lab.Options with { Contributions = [new TnsContribution(new TnsSampleSource(_sourceRoot))] });
        var withOthers = LabController.FromConfiguration(_lab.Configuration, _lab.Options with
        {
            Contributions = [new StandIn("alloy"), new StandIn("linkerd-control-plane"), new TnsContribution(new TnsSampleSource(_sourceRoot))],
        });

        Assert.Equal([StepIds.TnsImage("lgtm-remote")], alone.Plan.Graph.Steps.Single(s => s.Id == StepIds.Tns("lgtm-remote")).DependsOn);
        Assert.Equal(
            [StepIds.TnsImage("lgtm-remote"), StepIds.Release("lgtm-remote", "alloy"), StepIds.Release("lgtm-remote", "linkerd-control-plane")],
            withOthers.Plan.Graph.Steps.Single(s => s.Id == StepIds.Tns("lgtm-remote")).DependsOn);
        alone.Dispose();
        withOthers.Dispose();
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
