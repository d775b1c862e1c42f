using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Engine;

/// <summary>
/// A laptop reboot or a Docker restart leaves kind's node containers stopped: `kind get clusters` still lists the
/// clusters, their API servers do not answer. The lab starts them again instead of recreating anything.
/// </summary>
public sealed class RebootContractTests : IAsyncLifetime
{
    private ContractLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = ContractLab.Create(settings: ("Lab:Retry:ReadyTimeout", "00:00:03"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private FakeToolbox Toolbox => _lab.Toolbox;

    private static void AllSucceeded(IReadOnlyDictionary<string, StepOutcome> outcomes) =>
        Assert.True(outcomes.Values.All(o => o.Status == StepStatus.Succeeded),
            string.Join("\n", outcomes.Values.Where(o => o.Status != StepStatus.Succeeded).Select(o => $"{o.StepId}: {o.Status} {o.Message}")));

    private async Task RebootAsync()
    {
        foreach (var cluster in Toolbox.Clusters) await cluster.StopNodesAsync();
        Toolbox.ClearJournal();
    }

    [Fact]
    public async Task After_a_reboot_the_stopped_nodes_are_started_and_nothing_is_recreated_or_reinstalled()
    {
        AllSucceeded(await _lab.RunAsync());
        var releases = Toolbox.Clusters.ToDictionary(c => c.Name, c => c.Releases.Select(r => (r.Name, r.Revision)).ToList());
        await RebootAsync();

        var outcomes = await _lab.RunAsync();

        AllSucceeded(outcomes);
        var mutating = Toolbox.Mutating.Select(m => m.CommandLine).ToList();
        // The routes lived in the nodes' network namespaces, which a stop ends; they are the only thing done again.
        string[] expected =
        [
            "docker start lgtm-central-control-plane",
            "docker start lgtm-remote-control-plane",
            "docker exec lgtm-central-control-plane ip route replace 10.21.0.0/24 via " + Toolbox.Cluster("lgtm-remote")!.ControlPlane.IpAddress,
            "docker exec lgtm-remote-control-plane ip route replace 10.11.0.0/24 via " + Toolbox.Cluster("lgtm-central")!.ControlPlane.IpAddress,
        ];
        Assert.Equal(expected.Order(), mutating.Order());
        Assert.All(Toolbox.Clusters, c => Assert.All(c.Nodes, n => Assert.True(n.Running, n.Name)));
        Assert.Equal(releases, Toolbox.Clusters.ToDictionary(c => c.Name, c => c.Releases.Select(r => (r.Name, r.Revision)).ToList()));
        Assert.Empty(Toolbox.RefusedByRealCli);

        Toolbox.ClearJournal();
        AllSucceeded(await _lab.RunAsync());
        Assert.Empty(Toolbox.Mutating);
    }

    [Fact]
    public async Task A_node_that_will_not_start_fails_its_cluster_at_once_naming_the_container_and_offering_Recreate()
    {
        AllSucceeded(await _lab.RunAsync());
        await RebootAsync();
        var node = Toolbox.Cluster("lgtm-central")!.ControlPlane;
        node.StartRefusal = FakeToolErrors.HostPortAllocated(node.Name, node.Id[..32] + node.Id[..32], 6443);

        var outcomes = await _lab.RunAsync();

        var central = outcomes["lgtm-central/cluster"];
        Assert.Equal(StepStatus.Failed, central.Status);
        Assert.Equal(1, central.Attempts);
        Assert.Contains("node container of cluster lgtm-central could not be started: lgtm-central-control-plane: Error response from daemon: "
            + "failed to set up container networking", central.Message, StringComparison.Ordinal);
        Assert.Contains("Bind for 127.0.0.1:6443 failed: port is already allocated", central.Message, StringComparison.Ordinal);
        Assert.Contains("Recreate cluster on lgtm-central", central.Message, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Succeeded, outcomes["lgtm-remote/cluster"].Status);
        Assert.DoesNotContain(Toolbox.Mutating, m => m.Tool is "kind" or "helm");
    }

    [Fact]
    public async Task A_node_whose_API_server_never_answers_after_its_start_fails_within_the_bound_and_offers_Recreate()
    {
        AllSucceeded(await _lab.RunAsync());
        await RebootAsync();
        Toolbox.Cluster("lgtm-remote")!.ApiStaysDownAfterStart = true;

        var outcomes = await _lab.RunAsync();

        var remote = outcomes["lgtm-remote/cluster"];
        Assert.Equal(StepStatus.Failed, remote.Status);
        Assert.Equal(1, remote.Attempts);
        Assert.Contains("the node containers of cluster lgtm-remote (lgtm-remote-control-plane) were started, but the nodes of lgtm-remote were not Ready after 3 s",
            remote.Message, StringComparison.Ordinal);
        Assert.Contains("`docker logs lgtm-remote-control-plane`", remote.Message, StringComparison.Ordinal);
        Assert.Contains("Recreate cluster on lgtm-remote", remote.Message, StringComparison.Ordinal);
        Assert.InRange(remote.Duration, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(Toolbox.Mutating, m => m.Tool is "kind" or "helm");
    }
}
