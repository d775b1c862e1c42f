using System.Diagnostics;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Hosting;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Hosting;

/// <summary>The hosting layer driven by a scripted controller, in a real (small) AppHost under Aspire.Hosting.Testing.</summary>
[Collection(AppHostCollection.Name)]
public class LabHostingTests(ITestOutputHelper output)
{
    private static readonly string[] AllResources = [.. ScriptedLabController.DefaultResources.Select(r => r.Name)];

    [Fact]
    public async Task Clusters_and_components_show_up_at_once_then_reach_running_with_health_properties_urls_and_logs()
    {
        var clock = Stopwatch.StartNew();
        var controller = new ScriptedLabController();
        var grafanaHold = controller.Holds["lgtm-central/grafana"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var grafanaStarted = controller.Started["lgtm-central/grafana"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await LabTestApp.StartAsync(controller, configure: (builder, lab) =>
            builder.AddExecutable("needs-central", "sleep", ".", "300").WaitFor(lab.Central()));
        output.WriteLine($"started at {clock.Elapsed}");

        // The whole tree is there before anything ran, each component under its cluster.
        foreach (var name in AllResources)
            Assert.True(app.Notifications.TryGetCurrentState(name, out _), $"{name} is not in the model");
        var metallb = app.Snapshot("lgtm-central-metallb");
        Assert.Equal("HelmRelease", metallb.ResourceType);
        Assert.Contains(metallb.Relationships, r => r.ResourceName == "lgtm-central" && r.Type == "Parent");
        Assert.Equal("metallb/metallb", metallb.Property("lab.Chart"));
        Assert.Equal("KindCluster", app.Snapshot("lgtm-central").ResourceType);

        // While one step runs, its resource is Starting and the dependents are Waiting on it.
        await grafanaStarted.Task.WaitAsync(app.Token);
        await app.WaitForStateAsync("lgtm-central-grafana", KnownResourceStates.Starting);
        await app.WaitForStateAsync("lgtm-central-metallb", KnownResourceStates.Running);
        Assert.Empty(app.Snapshot("lgtm-central-grafana").Urls);
        grafanaHold.SetResult();

        foreach (var name in AllResources)
        {
            var healthy = await app.Notifications.WaitForResourceHealthyAsync(name, app.Token);
            Assert.Equal(KnownResourceStates.Running, healthy.Snapshot.State?.Text);
            Assert.Equal(KnownResourceStateStyles.Success, healthy.Snapshot.State?.Style);
        }
        output.WriteLine($"all healthy at {clock.Elapsed}");

        var grafana = app.Snapshot("lgtm-central-grafana");
        Assert.Contains(grafana.Urls, u => u.Name == "Grafana" && u.Url == "http://127.0.0.1:3000/");
        Assert.Null(grafana.Property("lab.Grafana"));
        Assert.Equal("1/1 succeeded", grafana.Property(LabSnapshots.StepsProperty));
        Assert.Equal(ResourceCommandState.Disabled, grafana.CommandState(LabCommands.Retry));

        // Tool output and step transitions stream into the resource's own console log.
        var log = await app.LogAsync("lgtm-central-grafana");
        Assert.Contains(log, l => l.Contains("$ tool apply lgtm-central/grafana"));
        Assert.Contains(log, l => l.Contains("[lgtm-central/grafana] Succeeded"));
        Assert.DoesNotContain(log, l => l.Contains("lgtm-central/metallb"));

        // WaitFor(cluster) releases a dependent once the cluster is Running and healthy.
        await app.WaitForStateAsync("needs-central", KnownResourceStates.Running);
        output.WriteLine($"done at {clock.Elapsed}");

        // Persistent lifetime (the default): stopping the AppHost leaves the clusters alone.
        await app.App.StopAsync(app.Token);
        Assert.Equal(["Run"], controller.Calls);
    }

    [Fact]
    public async Task A_failed_step_shows_its_error_dependents_wait_on_it_and_retry_recovers()
    {
        var controller = new ScriptedLabController();
        controller.FailuresLeft["lgtm-central/metallb"] = 1;
        await using var app = await LabTestApp.StartAsync(controller);

        var failed = (await app.WaitForStateAsync("lgtm-central-metallb", LabSnapshots.Failed)).Snapshot;
        Assert.Equal(KnownResourceStateStyles.Error, failed.State?.Style);
        Assert.Contains("INSTALLATION FAILED", failed.Property(LabSnapshots.ErrorProperty));
        Assert.Equal("lgtm-central/metallb", failed.Property(LabSnapshots.StepProperty));

        foreach (var dependent in new[] { "lgtm-central-grafana", "lgtm-remote-link" })
        {
            var waiting = (await app.WaitForAsync(dependent, s => s.State?.Style == KnownResourceStateStyles.Warn)).Snapshot;
            Assert.Equal(KnownResourceStates.Waiting, waiting.State?.Text);
            Assert.StartsWith("Waiting on lgtm-central-metallb", waiting.Property(LabSnapshots.StatusProperty));
        }
        // The clusters' own steps succeeded: a component's failure does not make its cluster lie.
        await app.Notifications.WaitForResourceHealthyAsync("lgtm-central", app.Token);

        var health = await app.App.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Name == "lab-lgtm-central-metallb", app.Token);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("INSTALLATION FAILED", health.Entries.Single().Value.Description);

        var log = await app.LogAsync("lgtm-central-metallb");
        Assert.Contains(log, l => l.Contains("Error: INSTALLATION FAILED"));
        Assert.Contains(log, l => l.Contains("[lgtm-central/metallb] Failed: helm upgrade exited with 1"));

        await app.WaitForAsync("lgtm-central-metallb", s => s.CommandState(LabCommands.Retry) == ResourceCommandState.Enabled);
        Assert.Equal(ResourceCommandState.Disabled, app.Snapshot("lgtm-central").CommandState(LabCommands.Retry));

        var retry = await app.ExecuteAsync("lgtm-central-metallb", LabCommands.Retry);
        Assert.True(retry.Success, retry.Message);
        Assert.Equal("lgtm-central-metallb is running.", retry.Message);
        foreach (var name in AllResources)
            await app.Notifications.WaitForResourceHealthyAsync(name, app.Token);
        Assert.Null(app.Snapshot("lgtm-central-metallb").Property(LabSnapshots.ErrorProperty));
        Assert.Equal(["Run", "Retry lgtm-central-metallb"], controller.Calls);
    }

    [Fact]
    public async Task Delete_cluster_recreate_cluster_and_delete_lab_run_from_the_dashboard()
    {
        var controller = new ScriptedLabController();
        await using var app = await LabTestApp.StartAsync(controller);
        foreach (var name in AllResources)
            await app.Notifications.WaitForResourceHealthyAsync(name, app.Token);
        Assert.Null(app.Snapshot("lgtm-remote").CommandState(LabCommands.DeleteLab));
        Assert.Null(app.Snapshot("lgtm-central").CommandState(LabCommands.DeleteLab));

        var delete = await app.ExecuteAsync("lgtm-remote", LabCommands.DeleteCluster);
        Assert.True(delete.Success, delete.Message);
        Assert.Equal(LabResourceStates.Deleted, app.Snapshot("lgtm-remote").State?.Text);
        Assert.Equal(LabResourceStates.Deleted, app.Snapshot("lgtm-remote-link").State?.Text);
        Assert.Equal(KnownResourceStates.Running, app.Snapshot("lgtm-central").State?.Text);
        await app.WaitForAsync("lgtm-remote", s => s.CommandState(LabCommands.DeleteCluster) == ResourceCommandState.Disabled);

        var recreate = await app.ExecuteAsync("lgtm-remote", LabCommands.RecreateCluster);
        Assert.True(recreate.Success, recreate.Message);
        Assert.Contains("its 1 components are running", recreate.Message);
        await app.Notifications.WaitForResourceHealthyAsync("lgtm-remote", app.Token);
        await app.Notifications.WaitForResourceHealthyAsync("lgtm-remote-link", app.Token);

        var deleteLab = await app.ExecuteAsync("lgtm", LabCommands.DeleteLab);
        Assert.True(deleteLab.Success, deleteLab.Message);
        foreach (var name in AllResources.Append("lgtm"))
            Assert.Equal(LabResourceStates.Deleted, app.Snapshot(name).State?.Text);
        await app.WaitForAsync("lgtm", s => s.CommandState(LabCommands.DeleteLab) == ResourceCommandState.Disabled);

        Assert.Equal(["Run", "DeleteCluster lgtm-remote", "RecreateCluster lgtm-remote", "DeleteLab"], controller.Calls);
        Assert.Contains(await app.LogAsync("lgtm-remote"), l => l.Contains("Deleting cluster \"lgtm-remote\""));
    }

    [Fact]
    public async Task Delete_cluster_interrupts_a_run_in_progress_and_leaves_nothing_starting()
    {
        var controller = new ScriptedLabController();
        controller.Holds["lgtm-central/grafana"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = controller.Started["lgtm-central/grafana"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await LabTestApp.StartAsync(controller);
        await started.Task.WaitAsync(app.Token);

        var delete = await app.ExecuteAsync("lgtm-central", LabCommands.DeleteCluster);
        Assert.True(delete.Success, delete.Message);

        foreach (var name in new[] { "lgtm-central", "lgtm-central-metallb", "lgtm-central-grafana" })
            Assert.Equal(LabResourceStates.Deleted, app.Snapshot(name).State?.Text);
        // The run stopped before the remote link ran: it says so instead of waiting forever.
        var link = app.Snapshot("lgtm-remote-link");
        Assert.Equal(LabSnapshots.Failed, link.State?.Text);
        Assert.Equal("Interrupted by Delete cluster lgtm-central; use Retry to continue", link.Property(LabSnapshots.ErrorProperty));
        await app.WaitForAsync("lgtm-remote-link", s => s.CommandState(LabCommands.Retry) == ResourceCommandState.Enabled);
    }

    [Fact]
    public async Task A_command_whose_caller_goes_away_still_finishes()
    {
        var controller = new ScriptedLabController();
        await using var app = await LabTestApp.StartAsync(controller);
        foreach (var name in AllResources)
            await app.Notifications.WaitForResourceHealthyAsync(name, app.Token);

        var hold = controller.Holds["lgtm-remote/cluster"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = controller.Started["lgtm-remote/cluster"] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(app.Token);
        var recreate = app.ExecuteAsync("lgtm-remote", LabCommands.RecreateCluster, caller.Token);
        await started.Task.WaitAsync(app.Token);
        await app.WaitForStateAsync("lgtm-remote", KnownResourceStates.Starting);
        await app.WaitForAsync("lgtm-remote-link", s => s.CommandState(LabCommands.Retry) == ResourceCommandState.Disabled);

        caller.Cancel();
        Assert.True((await recreate).Canceled);
        hold.SetResult();
        await app.Notifications.WaitForResourceHealthyAsync("lgtm-remote", app.Token);
        await app.Notifications.WaitForResourceHealthyAsync("lgtm-remote-link", app.Token);
        Assert.Equal(["Run", "RecreateCluster lgtm-remote"], controller.Calls);
    }

    [Fact]
    public async Task A_crashing_run_fails_every_unfinished_resource_with_the_reason()
    {
        var controller = new ScriptedLabController { Crash = new InvalidOperationException("Lab:Remotes:0:PodSubnet 10.10.0.0/16 overlaps lgtm-central's; pick another") };
        await using var app = await LabTestApp.StartAsync(controller);

        var grafana = (await app.WaitForStateAsync("lgtm-central-grafana", LabSnapshots.Failed)).Snapshot;
        Assert.Equal("The lab run stopped: Lab:Remotes:0:PodSubnet 10.10.0.0/16 overlaps lgtm-central's; pick another", grafana.Property(LabSnapshots.ErrorProperty));
        await app.Notifications.WaitForResourceHealthyAsync("lgtm-central", app.Token);
        Assert.Contains(await app.LogAsync("lgtm-remote-link"), l => l.Contains("overlaps lgtm-central's"));
    }

    [Fact]
    public async Task Session_lifetime_deletes_the_clusters_when_the_apphost_stops()
    {
        var controller = new ScriptedLabController();
        var app = await LabTestApp.StartAsync(controller, new LabOptions { Lifetime = ClusterLifetime.Session });
        await using (app)
        {
            foreach (var name in AllResources)
                await app.Notifications.WaitForResourceHealthyAsync(name, app.Token);
            await app.App.StopAsync(app.Token);
        }
        Assert.Equal(["Run", "DeleteCluster lgtm-central", "DeleteCluster lgtm-remote"], controller.Calls);
    }

    [Fact]
    public void A_disabled_lab_adds_nothing_and_builds_no_controller()
    {
        var builder = LabTestApp.CreateBuilder();
        var lab = builder.AddLab("lgtm", new LabOptions { Enabled = false }, _ => throw new InvalidOperationException("must not be built"));
        var central = lab.AddCentral().WithLgtmStack();
        foreach (var remote in lab.AddRemotes())
            remote.LinkTo(central).WithTns();
        Assert.Empty(lab.Resource.Clusters);
        Assert.DoesNotContain(builder.Resources, r => r is KindLabResource or KindClusterResource or LabComponentResource or ParameterResource);
    }
}
