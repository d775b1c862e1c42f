using k8s;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;
using LgtmLab.AppHost.Workloads;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Workloads;

/// <summary>
/// A user's chart and a user's project on the real engine against the fake tools: they are planned with the lab's
/// own step classes and run the same commands as MetalLB's release and TNS's image and manifests, a warm re-run
/// changes nothing, and a wrong chart or project path fails on its own resource with what to fix.
/// </summary>
public sealed class UserWorkloadContractTests : IAsyncLifetime
{
    private UserWorkloadLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = UserWorkloadLab.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private IKubernetes Client(string cluster) =>
        new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_lab.Toolbox.KubeconfigPath, $"kind-{cluster}"));

    [Fact]
    public void A_users_chart_and_project_are_planned_with_the_step_classes_of_MetalLB_and_TNS()
    {
        using var controller = _lab.Controller(_lab.Chart(), _lab.Project());
        var steps = controller.Plan.Graph.Steps.ToDictionary(s => s.Id);

        Assert.IsType<HelmReleaseStep>(steps["lgtm-central/metallb"]);
        Assert.IsType<HelmReleaseStep>(steps["lgtm-central/hello"]);
        Assert.IsType<ProjectImageStep>(steps["lgtm-remote/tns-image"]);
        Assert.IsType<ProjectImageStep>(steps["lgtm-remote/orders-image"]);
        Assert.IsType<ManifestStep>(steps["lgtm-remote/tns"]);
        Assert.IsType<ManifestStep>(steps["lgtm-remote/orders"]);
        Assert.Equal(["lgtm-remote/orders-image"], steps["lgtm-remote/orders"].DependsOn);
        Assert.Equal(["lgtm-central/cluster"], steps["lgtm-central/hello"].DependsOn);

        var chart = Assert.Single(controller.Resources, r => r.Name == "lgtm-central-hello");
        Assert.Equal(("lgtm-central", "HelmRelease"), (chart.Parent, chart.Kind));
        Assert.Equal(UserWorkloadLab.ChartVersion, chart.Properties["version"]);
        Assert.Equal(_lab.ValuesFile, chart.Properties["values"]);
        var project = Assert.Single(controller.Resources, r => r.Name == "lgtm-remote-orders");
        Assert.Equal(("lgtm-remote", "Workload"), (project.Parent, project.Kind));
        Assert.Equal(_lab.ProjectPath, project.Properties["project"]);
        Assert.Equal("lab-assets/manifests/project/deployment.yaml", project.Properties["manifest"]);
        Assert.Equal(WorkloadContribution.AlloyOtlpEndpoint, project.Properties["otlp"]);
        Assert.StartsWith("lgtmlab/orders:", project.PropertiesNow()["image"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_users_chart_and_project_run_the_same_commands_as_MetalLB_and_TNS_and_end_up_healthy()
    {
        using var controller = await _lab.RunAsync(_lab.Chart(), _lab.Project());

        Assert.All(controller.Outcomes.Values, o => Assert.True(o.Status == StepStatus.Succeeded, $"{o.StepId}: {o.Status} {o.Message}"));
        Assert.Empty(_lab.Toolbox.RefusedByRealCli);
        var calls = _lab.Toolbox.Mutating;
        ToolInvocation Call(string tool, Func<ToolInvocation, bool> which) => Assert.Single(calls, c => c.Tool == tool && which(c));

        var metallb = Call("helm", c => c.Args[2] == "metallb" && c.Args.Contains("kind-lgtm-central"));
        var hello = Call("helm", c => c.Args[2] == "hello");
        Assert.Equal(UserWorkloadLab.Shape(metallb), UserWorkloadLab.Shape(hello));
        Assert.Equal(["upgrade", "--install", "hello", "hello", "--repo", UserWorkloadLab.ChartRepo, "--version", UserWorkloadLab.ChartVersion,
            "--namespace", "hello", "--create-namespace", "--kube-context", "kind-lgtm-central", "-f", _lab.ValuesFile, "--wait", "--timeout", "5m"], hello.Args);

        var tnsPublish = Call("dotnet", c => c.Args[1].Contains("TnsSample", StringComparison.Ordinal));
        var ordersPublish = Call("dotnet", c => c.Args[1] == _lab.ProjectPath);
        Assert.Equal(UserWorkloadLab.Shape(tnsPublish), UserWorkloadLab.Shape(ordersPublish));
        var tag = new ProjectSource(_lab.ProjectPath).Fingerprint[..16];
        Assert.Contains($"-p:ContainerRepository=lgtmlab/orders", ordersPublish.Args);
        Assert.Contains($"-p:ContainerImageTag={tag}", ordersPublish.Args);
        Assert.Equal(UserWorkloadLab.Shape(Call("kind", c => c.Args[2].Contains("/tns-", StringComparison.Ordinal))),
            UserWorkloadLab.Shape(Call("kind", c => c.Args[2].Contains("/orders-", StringComparison.Ordinal))));
        Assert.Equal(UserWorkloadLab.Shape(Call("kubectl", c => c.Args[^1].EndsWith("/tns.yaml", StringComparison.Ordinal))),
            UserWorkloadLab.Shape(Call("kubectl", c => c.Args[^1].EndsWith("/orders.yaml", StringComparison.Ordinal))));
        Assert.Contains($"docker.io/lgtmlab/orders:{tag}", _lab.Toolbox.Cluster("lgtm-remote")!.LoadedImages);

        var deployment = await Client("lgtm-remote").AppsV1.ReadNamespacedDeploymentAsync("orders", "orders");
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal($"lgtmlab/orders:{tag}", container.Image);
        Assert.Equal(WorkloadContribution.AlloyOtlpEndpoint, container.Env.Single(e => e.Name == "OTEL_EXPORTER_OTLP_ENDPOINT").Value);
        var tenant = controller.Topology.Cluster("lgtm-remote").Tenant;
        Assert.Contains($"lgtmlab.tenant={tenant}", container.Env.Single(e => e.Name == "OTEL_RESOURCE_ATTRIBUTES").Value, StringComparison.Ordinal);
        Assert.NotNull(await Client("lgtm-remote").CoreV1.ReadNamespacedServiceAsync("orders", "orders"));
        Assert.NotEmpty((await Client("lgtm-central").AppsV1.ListNamespacedDeploymentAsync("hello")).Items);
        foreach (var name in new[] { "lgtm-central-hello", "lgtm-remote-orders" })
        {
            var probe = await controller.Resources.Single(r => r.Name == name).Probe!(CancellationToken.None);
            Assert.True(probe.Healthy, $"{name}: {probe.Description}");
        }
    }

    [Fact]
    public async Task A_warm_re_run_changes_nothing_for_the_users_workloads()
    {
        (await _lab.RunAsync(_lab.Chart(), _lab.Project())).Dispose();
        _lab.Toolbox.ClearJournal();

        using var controller = await _lab.RunAsync(_lab.Chart(), _lab.Project());

        Assert.All(controller.Outcomes.Values, o => Assert.Equal(StepStatus.Succeeded, o.Status));
        Assert.Empty(_lab.Toolbox.Mutating);
        Assert.DoesNotContain(_lab.Toolbox.Invocations, i => i.Tool == "dotnet");
    }

    [Fact]
    public async Task A_changed_project_is_rebuilt_reloaded_and_rolled_out_and_nothing_else_changes()
    {
        (await _lab.RunAsync(_lab.Chart(), _lab.Project())).Dispose();
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_lab.ProjectPath)!, "Program.cs"), "// version 2\n");
        _lab.Toolbox.ClearJournal();

        using var controller = await _lab.RunAsync(_lab.Chart(), _lab.Project());

        Assert.Equal(["dotnet publish", "kind load", "kubectl apply"],
            _lab.Toolbox.Mutating.Select(i => $"{i.Tool} {MutatingCommands.Verbs(i.Tool, i.Args)[0]}"));
        Assert.Contains(_lab.ProjectPath, _lab.Toolbox.Mutating[0].Args);
    }

    [Fact]
    public async Task A_chart_the_repository_does_not_have_fails_its_resource_naming_the_chart_and_the_fix()
    {
        using var controller = await _lab.RunAsync(_lab.Chart(chart: "helo"), _lab.Project());

        var failed = controller.Outcomes["lgtm-central/hello"];
        Assert.Equal(StepStatus.Failed, failed.Status);
        Assert.Contains($"chart \"helo\" version \"{UserWorkloadLab.ChartVersion}\" not found in {UserWorkloadLab.ChartRepo} repository", failed.Message, StringComparison.Ordinal);
        Assert.Contains("check the chart name 'helo'", failed.Message, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Succeeded, controller.Outcomes["lgtm-remote/orders"].Status);
    }

    [Fact]
    public async Task A_missing_project_fails_its_image_naming_the_path_and_the_fix_and_blocks_its_manifests()
    {
        var missing = Path.Combine(_lab.Root, "nowhere", "Missing.csproj");
        using var controller = await _lab.RunAsync(_lab.Chart(), _lab.Project(missing));

        var failed = controller.Outcomes["lgtm-remote/orders-image"];
        Assert.Equal(StepStatus.Failed, failed.Status);
        Assert.Contains($"the project {missing} does not exist", failed.Message, StringComparison.Ordinal);
        Assert.Contains("fix the project path", failed.Message, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Blocked, controller.Outcomes["lgtm-remote/orders"].Status);
        Assert.DoesNotContain(_lab.Toolbox.Invocations, i => i.Tool == "dotnet" && i.Args.Contains(missing));
        Assert.Equal(StepStatus.Succeeded, controller.Outcomes["lgtm-remote/tns"].Status);
    }

    [Fact]
    public async Task A_chart_from_an_OCI_registry_is_named_in_full_without_repo_and_a_missing_one_says_so()
    {
        const string registry = "oci://registry.example.test/charts";
        _lab.Toolbox.Charts.Publish(registry, "hello", UserWorkloadLab.ChartVersion);

        using (var controller = await _lab.RunAsync(_lab.Chart(repo: registry)))
        {
            Assert.Equal(StepStatus.Succeeded, controller.Outcomes["lgtm-central/hello"].Status);
            var install = Assert.Single(_lab.Toolbox.Mutating, c => c.Tool == "helm" && c.Args[2] == "hello");
            Assert.Equal(["upgrade", "--install", "hello", $"{registry}/hello", "--version", UserWorkloadLab.ChartVersion], install.Args.Take(6));
            Assert.DoesNotContain("--repo", install.Args);
            Assert.Empty(_lab.Toolbox.RefusedByRealCli);
        }
        (await _lab.RunAsync(_lab.Chart(repo: registry))).Dispose();

        using var wrong = await _lab.RunAsync(new HelmChartWorkload("lgtm-central", "other", "nope", "1.0.0", registry, "other", []));
        var failed = wrong.Outcomes["lgtm-central/other"];
        Assert.Equal(StepStatus.Failed, failed.Status);
        Assert.Contains("registry.example.test/charts/nope:1.0.0: not found", failed.Message, StringComparison.Ordinal);
        Assert.Contains($"helm show chart {registry}/nope --version 1.0.0", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workload_on_a_cluster_the_lab_does_not_have_or_with_a_bad_name_is_a_configuration_error()
    {
        var error = Assert.Throws<AppHost.Configuration.LabConfigurationException>(() =>
            _lab.Controller(new ProjectWorkload("lgtm-elsewhere", "Orders_1", _lab.ProjectPath, null)));

        Assert.Contains("cluster 'lgtm-elsewhere', which the lab does not have", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Orders_1' is not a valid workload name", error.Message, StringComparison.Ordinal);
    }
}
