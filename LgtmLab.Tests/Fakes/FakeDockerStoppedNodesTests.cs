namespace LgtmLab.Tests.Fakes;

/// <summary>
/// Stopped kind nodes in the fake docker, as docker 28.2.2 shows and starts them: `ps -a` lists them exited, the API
/// server's port refuses until `start` brings the control plane back, and `start` prints each started container.
/// </summary>
public sealed class FakeDockerStoppedNodesTests : IAsyncLifetime
{
    private const string Ps = "{{.Names}}\\t{{.State}}";
    private FakeToolbox _toolbox = null!;

    public async Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        var result = await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");
        Assert.Equal(0, result.ExitCode);
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    [Fact]
    public async Task A_stopped_node_is_listed_exited_by_ps_all_its_API_refuses_and_start_brings_it_back()
    {
        var cluster = _toolbox.Cluster("lgtm-central")!;
        var url = cluster.Api!.Url;
        await cluster.StopNodesAsync();

        var running = await _toolbox.RunAsync("docker", "ps", "--filter", "label=io.x-k8s.kind.cluster=lgtm-central", "--format", Ps);
        var all = await _toolbox.RunAsync("docker", "ps", "-a", "--filter", "label=io.x-k8s.kind.cluster=lgtm-central", "--format", Ps);
        var other = await _toolbox.RunAsync("docker", "ps", "-a", "--filter", "label=io.x-k8s.kind.cluster=lgtm-remote", "--format", Ps);
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(url, "/version")));
        var exec = await _toolbox.RunAsync("docker", "exec", "lgtm-central-control-plane", "ip", "route", "show");

        Assert.Equal((0, ""), (running.ExitCode, running.Stdout));
        Assert.Equal((0, "lgtm-central-control-plane\texited\n"), (all.ExitCode, all.Stdout));
        Assert.Equal((0, ""), (other.ExitCode, other.Stdout));
        Assert.Equal((1, $"Error response from daemon: container {cluster.ControlPlane.Id} is not running\n"), (exec.ExitCode, exec.Stderr));

        var start = await _toolbox.RunAsync("docker", "start", "lgtm-central-control-plane");
        var again = await _toolbox.RunAsync("docker", "start", "lgtm-central-control-plane");

        Assert.Equal((0, "lgtm-central-control-plane\n"), (start.ExitCode, start.Stdout));
        Assert.Equal((0, "lgtm-central-control-plane\n"), (again.ExitCode, again.Stdout));
        Assert.Equal(url, cluster.Api.Url);
        Assert.True((await http.GetAsync(new Uri(url, "/version"))).IsSuccessStatusCode);
        Assert.Contains("lgtm-central-control-plane\trunning\n",
            (await _toolbox.RunAsync("docker", "ps", "--filter", "label=io.x-k8s.kind.cluster", "--format", Ps)).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_the_daemon_refuses_prints_its_error_then_the_summary_and_exits_1()
    {
        var cluster = _toolbox.Cluster("lgtm-central")!;
        await cluster.StopNodesAsync();
        var refusal = FakeToolErrors.HostPortAllocated(cluster.ControlPlane.Name, "0123abcd", 41234);
        cluster.ControlPlane.StartRefusal = refusal;

        var start = await _toolbox.RunAsync("docker", "start", "lgtm-central-control-plane", "nope");

        Assert.Equal((1, "", $"{refusal}\nError response from daemon: No such container: nope\nError: failed to start containers: lgtm-central-control-plane, nope\n"),
            (start.ExitCode, start.Stdout, start.Stderr));
        Assert.False(cluster.ControlPlane.Running);
    }
}
