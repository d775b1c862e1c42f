using System.Globalization;
using LgtmLab.AppHost.Hosting;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LgtmLab.Tests.Hosting;

/// <summary>A failed cluster is not a dead end: what waits on it keeps waiting, and starts once Retry succeeds.
/// The lab resource sums up the whole lab's progress.</summary>
[Collection(AppHostCollection.Name)]
public sealed class LabRecoveryTests
{
    [Fact]
    public async Task A_dependent_of_a_failed_cluster_waits_and_starts_after_retry_succeeds()
    {
        var controller = new ScriptedLabController();
        controller.FailuresLeft["lgtm-central/cluster"] = 1;
        await using var app = await LabTestApp.StartAsync(controller, configure: (builder, lab) =>
            builder.AddExecutable("after-central", "sleep", ".", "300").WaitFor(lab.Central()), awaitStart: false);

        var failed = (await app.WaitForStateAsync("lgtm-central", LabSnapshots.Failed)).Snapshot;
        Assert.Equal(KnownResourceStateStyles.Error, failed.State?.Style);
        Assert.NotNull(failed.Property(LabSnapshots.ErrorProperty));
        await app.WaitForAsync("lgtm-central", s => s.CommandState(LabCommands.Retry) == ResourceCommandState.Enabled);
        // Failed is not terminal: the dependent is still waiting, not given up on.
        await Task.Delay(TimeSpan.FromSeconds(1), app.Token);
        Assert.Equal(KnownResourceStates.Waiting, app.Snapshot("after-central").State?.Text);
        Assert.False(app.Started.IsCompleted);

        var retry = await app.ExecuteAsync("lgtm-central", LabCommands.Retry);
        Assert.True(retry.Success, retry.Message);
        await app.Notifications.WaitForResourceHealthyAsync("lgtm-central", app.Token);
        await app.WaitForStateAsync("after-central", KnownResourceStates.Running);
        await app.Started;
    }

    [Fact]
    public async Task The_lab_resource_shows_steps_done_of_total_and_ends_running()
    {
        var controller = new ScriptedLabController();
        var hold = controller.Holds["lgtm-central/grafana"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = controller.Started["lgtm-central/grafana"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await LabTestApp.StartAsync(controller);
        var total = ScriptedLabController.DefaultSteps.Count;

        await started.Task.WaitAsync(app.Token);
        var running = (await app.WaitForAsync("lgtm", s => s.State?.Text == KnownResourceStates.Starting
            && s.Property(LabSnapshots.StepProperty) == "lgtm-central/grafana")).Snapshot;
        Assert.Matches($"^[0-9]+/{total} succeeded$", running.Property(LabSnapshots.StepsProperty));
        hold.SetResult();

        var done = (await app.Notifications.WaitForResourceHealthyAsync("lgtm", app.Token)).Snapshot;
        Assert.Equal(KnownResourceStates.Running, done.State?.Text);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{total}/{total} succeeded"), done.Property(LabSnapshots.StepsProperty));
        Assert.Equal(HealthStatus.Healthy, done.HealthStatus);
    }
}
