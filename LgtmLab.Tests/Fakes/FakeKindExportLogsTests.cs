namespace LgtmLab.Tests.Fakes;

/// <summary>`kind export logs DIR --name NAME` prints and writes what kind v0.32.0 does (pkg/cmd/kind/export/logs/logs.go, pkg/cluster/provider.go CollectLogs).</summary>
public sealed class FakeKindExportLogsTests : IAsyncLifetime
{
    private FakeToolbox _toolbox = null!;

    public async Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        Assert.Equal(0, (await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-remote")).ExitCode);
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    [Fact]
    public async Task The_directory_is_printed_on_stdout_and_holds_kinds_files_for_each_node()
    {
        var dir = Path.Combine(_toolbox.StateDirectory, "logs");

        var result = await _toolbox.RunAsync("kind", "export", "logs", dir, "--name", "lgtm-remote");

        Assert.Equal((0, dir + "\n", "Exporting logs for cluster \"lgtm-remote\" to:\n"), (result.ExitCode, result.Stdout, result.Stderr));
        Assert.Equal($"kind {_toolbox.Versions.Tool("kind").Version} go1.26.3 linux/amd64", File.ReadAllText(Path.Combine(dir, "kind-version.txt")));
        Assert.True(File.Exists(Path.Combine(dir, "docker-info.txt")));
        foreach (var file in KindCli.NodeLogFiles)
            Assert.True(File.Exists(Path.Combine(dir, "lgtm-remote-control-plane", file)), file);
    }

    [Fact]
    public async Task Without_docker_it_fails_listing_the_nodes()
    {
        _toolbox.Docker.DaemonRunning = false;

        var result = await _toolbox.RunAsync("kind", "export", "logs", Path.Combine(_toolbox.StateDirectory, "logs"), "--name", "lgtm-remote");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("ERROR: failed to list nodes: command \"docker ps -a --filter label=io.x-k8s.kind.cluster=lgtm-remote --format '{{.Names}}'\" failed",
            result.Stderr, StringComparison.Ordinal);
    }
}
