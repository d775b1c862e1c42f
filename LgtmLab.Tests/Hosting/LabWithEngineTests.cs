using System.Diagnostics;
using Aspire.Hosting.Testing;
using LgtmLab.AppHost.Hosting;
using LgtmLab.Tests.Fakes;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Hosting;

/// <summary>The hosting layer with the real engine, against the fake tools (no Docker, kind or cluster needed).</summary>
[Collection(AppHostCollection.Name)]
public class LabWithEngineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_the_fake_tools_the_clusters_and_their_components_reach_running_and_the_dashboard_commands_work()
    {
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var fakes = FakeToolsLab.Create();
        var (builder, lab) = fakes.CreateAppHost(withTns: false, ("Lab:Lifetime", "Session"));
        var names = lab.Clusters.Select(c => c.Name).Concat(lab.Model.Components.Select(c => c.Name)).ToList();
        Assert.Contains("lgtm-central-metallb", names);
        Assert.Contains("lgtm-remote-routes", names);

        var app = await builder.BuildAsync(ct);
        await using (app)
        {
            await app.StartAsync(ct);
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var name in names)
            {
                var healthy = (await notifications.WaitForResourceHealthyAsync(name, ct)).Snapshot;
                Assert.Equal(KnownResourceStates.Running, healthy.State?.Text);
                output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s {name} {healthy.State?.Text} {healthy.HealthStatus}");
            }
            Assert.Equal(["lgtm-central", "lgtm-remote"], fakes.Toolbox.Clusters.Select(c => c.Name).Order());

            var metallb = Snapshot(notifications, "lgtm-central-metallb");
            Assert.Equal("HelmRelease", metallb.ResourceType);
            Assert.Equal("metallb-system", metallb.Property("lab.namespace"));
            Assert.Contains(metallb.Relationships, r => r.ResourceName == "lgtm-central" && r.Type == "Parent");
            // Every tool call streams into the log of the resource whose step made it.
            Assert.Contains(await LogAsync(app, "lgtm-central-metallb", ct), l => l.Contains("helm") && l.Contains("metallb"));
            Assert.Contains(await LogAsync(app, "lgtm-remote", ct), l => l.Contains("kind") && l.Contains("create cluster"));

            var commands = app.Services.GetRequiredService<ResourceCommandService>();
            var delete = await commands.ExecuteCommandAsync("lgtm-remote", LabCommands.DeleteCluster, ct);
            Assert.True(delete.Success, delete.Message);
            Assert.Null(fakes.Toolbox.Cluster("lgtm-remote"));
            Assert.Equal(LabResourceStates.Deleted, Snapshot(notifications, "lgtm-remote-metallb").State?.Text);
            Assert.Equal(KnownResourceStates.Running, Snapshot(notifications, "lgtm-central").State?.Text);

            var recreate = await commands.ExecuteCommandAsync("lgtm-remote", LabCommands.RecreateCluster, ct);
            Assert.True(recreate.Success, recreate.Message);
            Assert.NotNull(fakes.Toolbox.Cluster("lgtm-remote"));
            foreach (var name in names.Where(n => n.StartsWith("lgtm-remote", StringComparison.Ordinal)))
                await notifications.WaitForResourceHealthyAsync(name, ct);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s deleted and recreated lgtm-remote");

            await app.StopAsync(ct);
        }
        // Session lifetime: stopping the AppHost deleted the clusters.
        Assert.Empty(fakes.Toolbox.Clusters);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s stopped; clusters left: {fakes.Toolbox.Clusters.Count}");
    }

    [Fact]
    public async Task Without_docker_the_clusters_end_in_the_docker_missing_state_while_the_tns_projects_run()
    {
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var fakes = FakeToolsLab.Create(new FakeToolboxOptions { DockerInstalled = false });
        var (builder, lab) = fakes.CreateAppHost(withTns: true);
        Assert.Equal(["lgtm-central", "lgtm-remote"], lab.Clusters.Select(c => c.Name));

        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s started");
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

        foreach (var cluster in lab.Clusters.Select(c => c.Name))
        {
            var failed = (await notifications.WaitForResourceAsync(cluster, e => e.Snapshot.State?.Text == LabSnapshots.Failed, ct)).Snapshot;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s {cluster}: {failed.Property(LabSnapshots.ErrorProperty)}");
            Assert.Contains("Docker is not installed (no docker on PATH)", failed.Property(LabSnapshots.ErrorProperty));
            await notifications.WaitForResourceAsync(cluster, e => e.Snapshot.CommandState(LabCommands.Retry) == ResourceCommandState.Enabled, ct);
        }
        foreach (var component in lab.Model.Components.Select(c => c.Name))
        {
            var blocked = (await notifications.WaitForResourceAsync(component, e => e.Snapshot.State?.Style == KnownResourceStateStyles.Warn, ct)).Snapshot;
            Assert.Equal(KnownResourceStates.Waiting, blocked.State?.Text);
            Assert.StartsWith("Waiting on lgtm-", blocked.Property(LabSnapshots.StatusProperty));
        }
        Assert.Contains(await LogAsync(app, "lgtm-central", ct), l => l.Contains("Preflight: Docker is not installed"));
        Assert.Empty(fakes.Toolbox.Mutating);

        foreach (var tns in new[] { TnsProjectsBuilderExtensions.DbResourceName, TnsProjectsBuilderExtensions.AppResourceName, TnsProjectsBuilderExtensions.LoadgenResourceName })
        {
            await notifications.WaitForResourceHealthyAsync(tns, ct);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s {tns} healthy");
        }
        using var http = app.CreateHttpClient(TnsProjectsBuilderExtensions.AppResourceName, "http");
        Assert.Contains("Grafana News", await http.GetStringAsync("/", ct));
    }

    private static CustomResourceSnapshot Snapshot(ResourceNotificationService notifications, string resource) =>
        notifications.TryGetCurrentState(resource, out var e) ? e.Snapshot : throw new KeyNotFoundException(resource);

    private static async Task<List<string>> LogAsync(DistributedApplication app, string resource, CancellationToken ct)
    {
        var lines = new List<string>();
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resource).WithCancellation(ct))
            lines.AddRange(batch.Select(l => l.Content));
        return lines;
    }
}
