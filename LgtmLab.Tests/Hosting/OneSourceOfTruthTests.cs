using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Hosting;

/// <summary>
/// The dashboard keeps no state of its own: what it shows is computed from the controller's step outcomes, and
/// the controller's verbs and the dashboard's commands share one gate.
/// </summary>
[Collection(AppHostCollection.Name)]
public class OneSourceOfTruthTests
{
    private static readonly string[] AllResources = [.. ScriptedLabController.DefaultResources.Select(r => r.Name), "lgtm"];
    private static readonly IProgress<StepProgress> NoProgress = new Progress<StepProgress>();
    private static readonly Func<string, ILogger> NoLogger = _ => NullLogger.Instance;

    [Fact]
    public async Task The_dashboard_shows_the_projection_of_the_controllers_outcomes_and_follows_a_retry_made_on_the_controller()
    {
        var controller = new ScriptedLabController();
        controller.FailuresLeft["lgtm-central/metallb"] = 1;
        await using var app = await LabTestApp.StartAsync(controller);
        await app.WaitForAsync("lgtm-remote-link", s => s.State?.Style == KnownResourceStateStyles.Warn);
        Assert.Equal(StepStatus.Failed, controller.Outcomes["lgtm-central/metallb"].Status);
        await ShowsTheProjectionAsync(app, controller);

        // Retried on the controller itself: nothing tells the hosting layer but the outcome the retry records.
        await controller.RetryAsync("lgtm-central-metallb", NoProgress, NoLogger, app.Token);
        Assert.Equal(StepStatus.Succeeded, controller.Outcomes["lgtm-central/metallb"].Status);
        await ShowsTheProjectionAsync(app, controller);
        foreach (var name in AllResources)
            Assert.Equal(KnownResourceStates.Running, app.Snapshot(name).State?.Text);
    }

    [Fact]
    public async Task A_controller_verb_and_a_dashboard_command_never_run_steps_at_once()
    {
        var controller = new ScriptedLabController();
        await using var app = await LabTestApp.StartAsync(controller);
        foreach (var name in AllResources)
            await app.Notifications.WaitForResourceHealthyAsync(name, app.Token);

        // The dashboard's command holds the gate: the controller's verb waits for its turn.
        var hold = controller.Holds["lgtm-remote/cluster"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = controller.Started["lgtm-remote/cluster"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var recreate = app.ExecuteAsync("lgtm-remote", LabCommands.RecreateCluster);
        await started.Task.WaitAsync(app.Token);
        var direct = controller.RunStepsAsync(["lgtm-central/grafana"], NoProgress, NoLogger, app.Token);
        Assert.Equal("Recreate cluster lgtm-remote", controller.Gate.CurrentOperation);
        hold.SetResult();
        Assert.True((await recreate).Success);
        await direct;
        Assert.Empty(controller.Overlaps);

        // The controller's verb holds the gate: Retry from the dashboard refuses, naming it; Recreate interrupts it.
        controller.Holds.Clear();
        controller.Holds["lgtm-central/grafana"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        started = controller.Started["lgtm-central/grafana"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        direct = controller.RunStepsAsync(["lgtm-central/grafana"], NoProgress, NoLogger, app.Token);
        await started.Task.WaitAsync(app.Token);
        controller.Holds.Clear();
        var retry = await app.ExecuteAsync("lgtm-central-grafana", LabCommands.Retry);
        Assert.False(retry.Success);
        Assert.StartsWith("The lab is busy (RunSteps lgtm-central/grafana)", retry.Message);
        var takeover = await app.ExecuteAsync("lgtm-central", LabCommands.RecreateCluster);
        Assert.True(takeover.Success, takeover.Message);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => direct);

        Assert.Equal(
            ["Run", "RecreateCluster lgtm-remote", "RunSteps lgtm-central/grafana", "RunSteps lgtm-central/grafana", "RecreateCluster lgtm-central"],
            controller.Calls);
        Assert.Empty(controller.Overlaps);
    }

    /// <summary>Every resource (the lab's too) reaches exactly the state computed from the controller's outcomes.</summary>
    private static async Task ShowsTheProjectionAsync(LabTestApp app, ScriptedLabController controller)
    {
        foreach (var name in AllResources)
        {
            var status = name == "lgtm" ? LabStatusProjection.Overall(controller.Outcomes) : LabStatusProjection.Of(controller.Outcomes, name);
            var state = LabSnapshots.StateOf(status);
            await app.WaitForAsync(name, s => s.State?.Text == state.Text && s.State?.Style == state.Style
                && s.Property(LabSnapshots.StatusProperty) == LabSnapshots.Describe(status));
        }
    }
}
