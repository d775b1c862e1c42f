using System.Text.Json.Nodes;
using LgtmLab.AppHost.Tools;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// `docker info --format {{json .}}` with no daemon, printed by the fake and by the real docker client 28.2.2, which
/// is pointed at a socket that does not exist (it only fails to connect; nothing is started).
/// </summary>
public sealed class DockerInfoMatchesRealDockerTests : IAsyncLifetime
{
    private const string DefaultHost = "unix:///var/run/docker.sock";
    private FakeToolbox _toolbox = null!;
    private string _host = "";
    private Dictionary<string, string?> _realEnvironment = [];

    public Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create(new FakeToolboxOptions { DockerDaemonRunning = false });
        _host = $"unix://{Path.Combine(_toolbox.StateDirectory, "no-docker.sock")}";
        var home = Path.Combine(_toolbox.StateDirectory, "real-docker-home");
        Directory.CreateDirectory(home);
        _realEnvironment = new() { ["HOME"] = home, ["DOCKER_HOST"] = _host };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    [RequiresRealToolFact("docker")]
    public async Task Info_without_a_daemon_prints_what_real_docker_prints()
    {
        string[] info = ["info", "--format", "{{json .}}"];

        var real = await RealToolProcess.RunAsync("docker", info, _realEnvironment);
        var fake = await _toolbox.RunAsync("docker", info);

        Assert.Equal(1, real.ExitCode);
        Assert.Equal($"Cannot connect to the Docker daemon at {_host}. Is the docker daemon running?\n", real.Stderr);
        Assert.Equal((real.ExitCode, real.Stderr.Replace(_host, DefaultHost, StringComparison.Ordinal)), (fake.ExitCode, fake.Stderr));
        Assert.Equal(WithoutClientPlugins(real.Stdout), WithoutClientPlugins(fake.Stdout));
    }

    [RequiresRealToolFact("docker")]
    public async Task Preflight_reads_real_dockers_answer_as_docker_is_not_running_with_the_fix()
    {
        var dockerFolder = Path.GetDirectoryName(RealTools.Find("docker"))!;
        var docker = new Docker(new ToolRunner(new PathToolLocator(dockerFolder), _realEnvironment, dockerFolder));

        var e = await Assert.ThrowsAsync<DockerNotRunningException>(() => docker.InfoAsync(NullLogger.Instance, CancellationToken.None));

        Assert.Equal($"Docker is not running: Cannot connect to the Docker daemon at {_host}. Is the docker daemon running? "
            + "Start Docker Desktop (or `sudo systemctl start docker`), then run the lab again", e.Message);
    }

    /// <summary>The client's plugins depend on what the machine has installed (/usr/libexec/docker/cli-plugins), not on the daemon.</summary>
    private static string WithoutClientPlugins(string json)
    {
        var document = JsonNode.Parse(json)!;
        document["ClientInfo"]!["Plugins"] = new JsonArray();
        return document.ToJsonString();
    }
}
