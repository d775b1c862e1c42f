using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Engine;

/// <summary>
/// A release an earlier run left failed or pending-install is seen by the next run (helm v4 lists every status:
/// pkg/action/list.go SetStateMask) and ended the way helm accepts, never installed a second time beside it.
/// </summary>
public sealed class HelmReleaseLeftoverContractTests : IAsyncLifetime
{
    private const string Step = "lgtm-central/metallb";
    private const string SlowMetallb = "^helm upgrade --install metallb .*kind-lgtm-central";
    private ContractLab _lab = null!;

    public Task InitializeAsync()
    {
        // helm's --wait gets what is left of the step's ready budget: keep the run whose wait times out short.
        _lab = ContractLab.Create(null, ("Lab:Retry:ReadyBudget", "00:00:02"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private FakeToolbox Toolbox => _lab.Toolbox;

    private FakeHelmRelease CentralMetallb => Toolbox.Cluster("lgtm-central")!.Releases.Single(r => r.Name == "metallb");

    /// <summary>The mutating helm calls on the central cluster, as "upgrade --install" / "uninstall metallb".</summary>
    private List<string> CentralHelmChanges() => [.. Toolbox.Mutating
        .Where(m => m.Tool == "helm" && m.CommandLine.Contains("kind-lgtm-central", StringComparison.Ordinal))
        .Select(m => string.Join(' ', m.Args.Take(2)))];

    private Task WhenApplying() => Task.Run(async () =>
    {
        while (!_lab.Progress.Reports.Any(r => r.StepId == Step && r.Message == "Applying")) await Task.Delay(20);
    });

    [Fact]
    public async Task A_release_left_failed_is_upgraded_by_the_next_run_not_installed_again()
    {
        // helm's --wait times out while the first run installs: the only revisions are failed ones.
        Toolbox.AddLatency(SlowMetallb, TimeSpan.FromSeconds(1));
        var hold = WhenApplying().ContinueWith(_ => Toolbox.Cluster("lgtm-central")!.Api!.HoldWorkloadsNotReady = true, TaskScheduler.Default);
        var first = await _lab.RunAsync();
        await hold;
        Assert.NotEqual(StepStatus.Succeeded, first[Step].Status);
        Assert.Equal("failed", CentralMetallb.Status);
        var failedRevision = CentralMetallb.Revision;
        Toolbox.Cluster("lgtm-central")!.Api!.HoldWorkloadsNotReady = false;
        Toolbox.ClearLatencies();
        Toolbox.ClearJournal();

        var second = await _lab.RunAsync();

        Assert.Equal(StepStatus.Succeeded, second[Step].Status);
        Assert.Equal(["upgrade --install"], CentralHelmChanges());
        Assert.Equal(("deployed", failedRevision + 1), (CentralMetallb.Status, CentralMetallb.Revision));
    }

    [Fact]
    public async Task A_release_left_pending_install_is_uninstalled_then_installed_once()
    {
        Toolbox.AddLatency(SlowMetallb, TimeSpan.FromSeconds(20));
        using var cts = new CancellationTokenSource();
        var killer = WhenApplying().ContinueWith(async _ => { await Task.Delay(500); await cts.CancelAsync(); }, TaskScheduler.Default).Unwrap();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _lab.RunAsync(cts.Token));
        await killer;
        await FakeToolboxTests.WaitUntil(() => Toolbox.Invocations.Any(i => i.Aborted));
        Assert.Equal("pending-install", CentralMetallb.Status);
        Toolbox.ClearLatencies();
        Toolbox.ClearJournal();

        var resumed = await _lab.RunAsync();

        Assert.Equal(StepStatus.Succeeded, resumed[Step].Status);
        Assert.Equal(["uninstall metallb", "upgrade --install"], CentralHelmChanges());
        Assert.Equal(("deployed", 1), (CentralMetallb.Status, CentralMetallb.Revision));
    }
}
