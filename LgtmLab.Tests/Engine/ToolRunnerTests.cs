using LgtmLab.AppHost.Tools;

namespace LgtmLab.Tests.Engine;

/// <summary>The CliWrap runner against small real executables (shell scripts) in a temporary folder.</summary>
public sealed class ToolRunnerTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("lgtmlab-runner-").FullName;
    private readonly ListLogger _log = new();

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    private void Script(string name, string body)
    {
        var path = Path.Combine(_bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private ToolRunner Runner(Dictionary<string, string?>? environment = null) =>
        new(new PathToolLocator(_bin), environment ?? [], _bin);

    [Fact]
    public async Task Arguments_are_passed_as_a_list_never_through_a_shell()
    {
        Script("kind", "for a in \"$@\"; do printf '<%s>\\n' \"$a\"; done");

        var result = await Runner().RunAsync(new("kind", ["get", "two words", "{{json .}}", "$(rm -rf /)", "a;b"], Mutates: false), _log, CancellationToken.None);

        Assert.Equal(["<get>", "<two words>", "<{{json .}}>", "<$(rm -rf /)>", "<a;b>"], result.StandardOutput);
    }

    [Fact]
    public async Task Output_is_streamed_line_by_line_into_the_log_and_the_call_is_recorded()
    {
        Script("helm", "echo out-1; echo err-1 >&2; echo out-2");
        var runner = Runner();

        await runner.RunAsync(new("helm", ["upgrade", "--install", "x"], Mutates: true), _log, CancellationToken.None);

        Assert.Equal("$ helm upgrade --install x", _log.Lines[0]);
        Assert.Contains("out-1", _log.Lines);
        Assert.Contains("err-1", _log.Lines);
        Assert.True(_log.Lines.ToList().IndexOf("out-1") < _log.Lines.ToList().IndexOf("out-2"));
        var call = Assert.Single(runner.Calls);
        Assert.Equal(("helm", "helm upgrade --install x", true, (int?)0), (call.Tool, call.CommandLine, call.Mutates, call.ExitCode));
        Assert.True(call.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Secrets_never_reach_the_log_the_record_or_the_error()
    {
        Script("kubectl", "echo \"token: abc.def.ghi\"; echo \"password=$2\" >&2; exit 3");
        var runner = Runner();

        var e = await Assert.ThrowsAsync<ToolFailedException>(() =>
            runner.RunAsync(new("kubectl", ["login", "s3cr3t-value"], Mutates: false) { Secrets = ["s3cr3t-value"] }, _log, CancellationToken.None));

        var everything = string.Join('\n', _log.Lines) + runner.Calls.Single().CommandLine + e.Message;
        Assert.DoesNotContain("s3cr3t-value", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("abc.def.ghi", everything, StringComparison.Ordinal);
        Assert.Contains("kubectl login ***", runner.Calls.Single().CommandLine, StringComparison.Ordinal);
        Assert.Equal(3, runner.Calls.Single().ExitCode);
    }

    [Fact]
    public async Task A_failure_carries_the_last_stderr_lines_and_whether_it_is_transient()
    {
        Script("kubectl", "echo starting; echo 'The connection to the server 127.0.0.1:40000 was refused' >&2; exit 1");

        var e = await Assert.ThrowsAsync<ToolFailedException>(() =>
            Runner().RunAsync(new("kubectl", ["--context", "kind-x", "apply"], Mutates: true), _log, CancellationToken.None));

        Assert.True(e.IsTransient);
        Assert.Equal(1, e.Result.ExitCode);
        Assert.Contains("was refused", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("starting", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepted_exit_codes_are_answers_not_failures()
    {
        Script("docker", "echo 'Error response from daemon: network kind not found' >&2; exit 1");

        var subnets = await new Docker(Runner()).NetworkSubnetsAsync("kind", _log, CancellationToken.None);

        Assert.Null(subnets);
    }

    [Fact]
    public async Task Every_process_gets_the_labs_kubeconfig()
    {
        Script("kind", "echo \"$KUBECONFIG\"");

        var result = await Runner(new() { ["KUBECONFIG"] = "/tmp/lab-kubeconfig" }).RunAsync(new("kind", ["version"], Mutates: false), _log, CancellationToken.None);

        Assert.Equal("/tmp/lab-kubeconfig", result.Output);
    }

    [Fact]
    public async Task Docker_missing_from_path_says_docker_is_not_installed()
    {
        var e = await Assert.ThrowsAsync<ToolNotFoundException>(() => new Docker(Runner()).InfoAsync(_log, CancellationToken.None));

        Assert.StartsWith("Docker is not installed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_docker_daemon_that_does_not_answer_says_docker_is_not_running()
    {
        Script("docker", "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2; exit 1");

        var e = await Assert.ThrowsAsync<DockerNotRunningException>(() => new Docker(Runner()).InfoAsync(_log, CancellationToken.None));

        Assert.StartsWith("Docker is not running: Cannot connect to the Docker daemon", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_stops_the_process_and_records_the_call()
    {
        Script("kind", "sleep 30");
        var runner = Runner();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(new("kind", ["create", "cluster"], Mutates: true), _log, cts.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Null(Assert.Single(runner.Calls).ExitCode);
    }
}
