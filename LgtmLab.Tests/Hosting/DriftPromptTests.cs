using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Lgtm;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LgtmLab.Tests.Hosting;

/// <summary>
/// A cluster whose configuration changed since it was created: the dashboard asks whether to recreate it now,
/// saying what changed and what is lost, and recreates it on yes; on no, or with no dashboard, it stays Failed with
/// the Recreate hint. The clusters are created first by the engine alone, as an earlier AppHost run would have.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DriftPromptTests
{
    private static readonly (string Key, string Value)[] ClustersOnly =
        [("Lab:Components:Linkerd", "false"), ("Lab:Components:Lgtm", "false"), ("Lab:Components:Tns", "false")];

    private static readonly (string Key, string Value) ChangedRemote = ("Lab:Remotes:0:PodSubnet", "10.50.0.0/16");
    private const string RemoteChange = "podSubnet 10.21.0.0/16 -> 10.50.0.0/16";
    private const string RecreateHint = "Recreate on {0} deletes and re-creates it with the new configuration";

    [Fact]
    public async Task A_changed_cluster_is_asked_about_once_and_on_yes_is_deleted_and_created_again_and_runs()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var fakes = FakeToolsLab.Create();
        await fakes.CreateClustersAsync(ct);
        fakes.Toolbox.ClearJournal();
        var dashboard = new RecordingInteractionService();

        var (app, lab) = await StartAsync(fakes, dashboard, ct, [.. ClustersOnly, ChangedRemote]);
        await using (app)
        {
            await dashboard.Asked.WaitAsync(ct);
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
            Assert.Equal(LabSnapshots.Failed, Snapshot(notifications, "lgtm-remote").State?.Text);
            // While the question is open, a Retry fails the same way and asks nothing more.
            var retry = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("lgtm-remote", LabCommands.Retry, ct);
            Assert.False(retry.Success, retry.Message);
            var prompt = Assert.Single(dashboard.Prompts);
            Assert.Equal("Recreate cluster lgtm-remote?", prompt.Title);
            Assert.Contains(RemoteChange, prompt.Message, StringComparison.Ordinal);
            var onRemote = lab.Model.Components.Where(c => c.Cluster.Name == "lgtm-remote").Select(c => c.Name).ToList();
            Assert.NotEmpty(onRemote);
            Assert.All(onRemote, name => Assert.Contains(name, prompt.Message, StringComparison.Ordinal));
            Assert.Contains("installs them again", prompt.Message, StringComparison.Ordinal);
            Assert.Equal(DriftPrompt.RecreateButton, prompt.Options?.PrimaryButtonText);
            Assert.Empty(KindClusterCommands(fakes));

            dashboard.Answer(true);

            foreach (var name in onRemote.Prepend("lgtm-remote"))
                Assert.Equal(KnownResourceStates.Running, (await notifications.WaitForResourceHealthyAsync(name, ct)).Snapshot.State?.Text);
            Assert.Equal(["kind delete cluster --name lgtm-remote", "kind create cluster --name lgtm-remote"], KindClusterCommands(fakes));
            Assert.Equal("10.50.0.0/16", fakes.Toolbox.Cluster("lgtm-remote")!.PodSubnet);
            Assert.Equal(KnownResourceStates.Running, Snapshot(notifications, "lgtm-central").State?.Text);
            Assert.Single(dashboard.Prompts);
        }
    }

    [Fact]
    public async Task On_no_the_changed_central_stays_failed_with_the_recreate_hint_and_the_question_named_the_data_lost()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var fakes = FakeToolsLab.Create(contributions: [new LgtmContribution()]);
        await fakes.CreateClustersAsync(ct);
        fakes.Toolbox.ClearJournal();
        var dashboard = new RecordingInteractionService();
        dashboard.Answer(false);

        var (app, _) = await StartAsync(fakes, dashboard, ct, ("Lab:Central:PodSubnet", "10.60.0.0/16"));
        await using (app)
        {
            await WaitForLogAsync(app, "lgtm-central", "is not recreated (not confirmed)", ct);

            var prompt = Assert.Single(dashboard.Prompts);
            Assert.Equal("Recreate cluster lgtm-central?", prompt.Title);
            Assert.Contains("podSubnet 10.11.0.0/16 -> 10.60.0.0/16", prompt.Message, StringComparison.Ordinal);
            Assert.Contains("lgtm-central-loki", prompt.Message, StringComparison.Ordinal);
            Assert.Contains("lgtm-central-grafana", prompt.Message, StringComparison.Ordinal);
            Assert.Contains("logs (Loki), metrics (Mimir), traces (Tempo) stored on lgtm-central are lost", prompt.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("lgtm-remote", prompt.Message, StringComparison.Ordinal);

            Assert.Empty(KindClusterCommands(fakes));
            var central = Snapshot(app.Services.GetRequiredService<ResourceNotificationService>(), "lgtm-central");
            Assert.Equal(LabSnapshots.Failed, central.State?.Text);
            Assert.Contains(string.Format(null, RecreateHint, "lgtm-central"), central.Property(LabSnapshots.ErrorProperty), StringComparison.Ordinal);
            Assert.NotNull(fakes.Toolbox.Cluster("lgtm-central"));
            Assert.NotEqual("10.60.0.0/16", fakes.Toolbox.Cluster("lgtm-central")!.PodSubnet);
        }
    }

    [Fact]
    public async Task Without_a_dashboard_to_ask_in_a_changed_cluster_fails_with_the_recreate_hint_as_before()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var fakes = FakeToolsLab.Create();
        await fakes.CreateClustersAsync(ct);
        fakes.Toolbox.ClearJournal();
        var noDashboard = new RecordingInteractionService(available: false);

        var (app, _) = await StartAsync(fakes, noDashboard, ct, [.. ClustersOnly, ChangedRemote]);
        await using (app)
        {
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
            await notifications.WaitForResourceAsync("lgtm-remote", e => e.Snapshot.State?.Text == LabSnapshots.Failed
                && e.Snapshot.CommandState(LabCommands.Retry) == ResourceCommandState.Enabled, ct);
            // A Retry ends with the same question point as the start-up run; RetryAsync returns after it.
            var retry = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("lgtm-remote", LabCommands.Retry, ct);
            Assert.False(retry.Success, retry.Message);

            Assert.Empty(noDashboard.Prompts);
            Assert.Empty(KindClusterCommands(fakes));
            var remote = Snapshot(notifications, "lgtm-remote");
            Assert.Equal(LabSnapshots.Failed, remote.State?.Text);
            Assert.StartsWith($"configuration of cluster lgtm-remote changed ({RemoteChange}): run the Recreate command", remote.Property(LabSnapshots.ErrorProperty), StringComparison.Ordinal);
            Assert.Contains(string.Format(null, RecreateHint, "lgtm-remote"), remote.Property(LabSnapshots.ErrorProperty), StringComparison.Ordinal);
        }
    }

    private static async Task<(DistributedApplication App, KindLabResource Lab)> StartAsync(
        FakeToolsLab fakes, RecordingInteractionService dashboard, CancellationToken ct, params (string Key, string Value)[] settings)
    {
        var (builder, lab) = fakes.CreateAppHost(withTns: false, settings);
        builder.Services.AddSingleton<IInteractionService>(dashboard);
        var app = await builder.BuildAsync(ct);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return (app, lab);
    }

    /// <summary>`kind create cluster` and `kind delete cluster`, with the cluster they name, in order.</summary>
    private static List<string> KindClusterCommands(FakeToolsLab fakes) =>
        [.. fakes.Toolbox.Mutating
            .Where(m => m.Tool == "kind" && m.Args.Count >= 2 && m.Args[1] == "cluster" && m.Args[0] is "create" or "delete")
            .Select(m => $"kind {m.Args[0]} cluster --name {m.Args[m.Args.ToList().IndexOf("--name") + 1]}")];

    private static CustomResourceSnapshot Snapshot(ResourceNotificationService notifications, string resource) =>
        notifications.TryGetCurrentState(resource, out var e) ? e.Snapshot : throw new KeyNotFoundException(resource);

    private static async Task WaitForLogAsync(DistributedApplication app, string resource, string text, CancellationToken ct)
    {
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(resource).WithCancellation(ct))
            if (batch.Any(l => l.Content.Contains(text, StringComparison.Ordinal)))
                return;
    }
}
