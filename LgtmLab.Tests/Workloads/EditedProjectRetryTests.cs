using k8s;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Workloads;
using LgtmLab.Tests.Engine;
using LgtmLab.Tests.Fakes;
using LgtmLab.Tests.Hosting;

namespace LgtmLab.Tests.Workloads;

/// <summary>
/// Issue 12 item 4: a project's image tag is read from its sources on each run that reaches the image, not once per
/// AppHost. A source edited while the AppHost runs is built, loaded and rolled out by Retry on the workload, and its
/// dashboard resource shows the new image; a Retry with nothing edited changes nothing.
/// </summary>
public sealed class EditedProjectRetryTests : IAsyncLifetime
{
    private const string Resource = "lgtm-remote-orders";
    private UserWorkloadLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = UserWorkloadLab.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private string TagNow() => new ProjectSource(_lab.ProjectPath).Fingerprint[..16];

    private static string? DashboardImage(LabController controller)
    {
        var definition = controller.Resources.Single(r => r.Name == Resource);
        var running = new LabResourceStatus(LabResourcePhase.Running, null, null, 2, 2);
        return LabSnapshots.Apply(LabSnapshots.Initial(definition), definition, running).Property("lab.image");
    }

    private static Task RetryAsync(LabController controller) =>
        controller.RetryAsync(Resource, new RecordingProgress(), Loggers.None, CancellationToken.None);

    [Fact]
    public async Task Retry_after_an_edit_builds_loads_and_rolls_out_the_new_tag_and_the_dashboard_shows_it_and_a_second_retry_changes_nothing()
    {
        using var controller = await _lab.RunAsync(_lab.Project());
        Assert.All(controller.Outcomes.Values, o => Assert.True(o.Status == StepStatus.Succeeded, $"{o.StepId}: {o.Status} {o.Message}"));
        var before = TagNow();
        Assert.Equal($"lgtmlab/orders:{before}", DashboardImage(controller));

        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_lab.ProjectPath)!, "Program.cs"), "// version 2\n");
        var after = TagNow();
        Assert.NotEqual(before, after);
        // Until a run builds it, the dashboard shows the image the lab deployed.
        Assert.Equal($"lgtmlab/orders:{before}", DashboardImage(controller));
        _lab.Toolbox.ClearJournal();

        await RetryAsync(controller);

        Assert.All(controller.Outcomes.Values, o => Assert.True(o.Status == StepStatus.Succeeded, $"{o.StepId}: {o.Status} {o.Message}"));
        var calls = _lab.Toolbox.Mutating;
        Assert.Equal(["dotnet publish", "kind load", "kubectl apply"], calls.Select(i => $"{i.Tool} {MutatingCommands.Verbs(i.Tool, i.Args)[0]}"));
        Assert.Contains(_lab.ProjectPath, calls[0].Args);
        Assert.Contains($"-p:ContainerImageTag={after}", calls[0].Args);
        Assert.Equal(["load", "image-archive"], calls[1].Args.Take(2));
        Assert.Contains(calls[1].Args, a => a.Contains($"orders-{after}", StringComparison.Ordinal));
        Assert.Contains($"docker.io/lgtmlab/orders:{after}", _lab.Toolbox.Cluster("lgtm-remote")!.LoadedImages);
        Assert.EndsWith("/orders.yaml", calls[2].Args[^1], StringComparison.Ordinal);
        Assert.Contains($"image: \"lgtmlab/orders:{after}\"", File.ReadAllText(calls[2].Args[^1]), StringComparison.Ordinal);
        var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_lab.Toolbox.KubeconfigPath, "kind-lgtm-remote"));
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("orders", "orders");
        Assert.Equal($"lgtmlab/orders:{after}", Assert.Single(deployment.Spec.Template.Spec.Containers).Image);
        Assert.Equal($"lgtmlab/orders:{after}", DashboardImage(controller));

        _lab.Toolbox.ClearJournal();
        await RetryAsync(controller);

        Assert.All(controller.Outcomes.Values, o => Assert.Equal(StepStatus.Succeeded, o.Status));
        Assert.Empty(_lab.Toolbox.Mutating);
        Assert.DoesNotContain(_lab.Toolbox.Invocations, i => i.Tool == "dotnet");
        Assert.Equal($"lgtmlab/orders:{after}", DashboardImage(controller));
    }
}
