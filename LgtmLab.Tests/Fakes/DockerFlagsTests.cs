using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake docker's flag tables cannot drift from docker 28.2.2: the real client parses every flag they list, and
/// the fake refuses what the real client refuses with the same message and exit code.
/// </summary>
public sealed class DockerFlagsTests : IAsyncLifetime
{
    private FakeToolbox _toolbox = null!;

    public Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    [RequiresRealToolFact("docker")]
    public async Task The_real_docker_accepts_every_flag_of_the_fakes_tables()
    {
        foreach (var command in DockerFlags.Commands)
        {
            // One command line per table (--help stops before the daemon is asked; for exec it goes before the container).
            var verdict = await RealCliGate.CheckAsync("docker", [.. command.Words, .. Every(command.Flags)], _toolbox);

            Assert.True(verdict is { Accepted: true }, $"{command.Path}: {verdict?.Message}");
        }
        // The root's flags one by one: some exclude each other (--host and --context).
        foreach (var flag in Flags(DockerFlags.Global))
        {
            var verdict = await RealCliGate.CheckAsync("docker", [.. flag, "info"], _toolbox);

            Assert.True(verdict is { Accepted: true }, $"docker {string.Join(' ', flag)} info: {verdict?.Message}");
        }
    }

    public static TheoryData<string[]> Refused() => new()
    {
        { ["info", "--format", "{{json .}}", "--bogus"] },
        { ["info", "-Z"] },
        { ["info", "--format"] },
        { ["info", "--context", "default"] },
        { ["info", "extra"] },
        { ["--bogus", "info"] },
        { ["network", "inspect", "kind", "--format", "{{json .IPAM.Config}}", "--bogus"] },
        { ["network", "inspect"] },
        { ["network", "bogus"] },
        { ["inspect", "--format", "{{json .NetworkSettings.Networks}}", "-Z", "lgtm-central-control-plane"] },
        { ["inspect"] },
        { ["exec", "--bogus", "lgtm-central-control-plane", "ip", "route", "show", "10.0.0.0/24"] },
        { ["exec", "-iZ", "lgtm-central-control-plane", "ip", "route"] },
        { ["exec", "lgtm-central-control-plane"] },
        { ["ps", "-a", "--bogus"] },
        { ["ps", "-a", "--filter", "io.x-k8s.kind.cluster", "--format", "{{.Names}}"] },
        { ["ps", "lgtm-central-control-plane"] },
        { ["start"] },
        { ["start", "--bogus", "lgtm-central-control-plane"] },
        { ["bogus"] },
    };

    [RequiresRealToolTheory("docker")]
    [MemberData(nameof(Refused))]
    public async Task The_fake_refuses_what_the_real_docker_refuses_with_its_message(string[] argv)
    {
        var real = await RealCliGate.RunRealAsync(RealTools.Find("docker") ?? throw new InvalidOperationException(RealTools.Missing(["docker"])), argv, _toolbox);
        var call = new FakeCall("docker", argv, _toolbox.StateDirectory, null, null, null, null, CancellationToken.None);

        var exitCode = await new DockerCli(_toolbox).RunAsync(call);

        Assert.NotEqual(0, real.ExitCode);
        Assert.Equal((real.ExitCode, real.Stderr), (exitCode, call.Stderr));
    }

    private static string[] Every(FlagSet flags) => [.. Flags(flags).SelectMany(f => f)];

    private static IEnumerable<string[]> Flags(FlagSet flags) =>
    [
        .. flags.ValueFlags.Order(StringComparer.Ordinal).Select(f => new[] { f, SampleValue(f) }),
        .. flags.BoolFlags.Where(f => f is not ("-h" or "--help")).Order(StringComparer.Ordinal).Select(f => new[] { f }),
    ];

    // The values docker checks as the flag is set: a log level, a daemon address, an environment variable.
    private static string SampleValue(string flag) => flag switch
    {
        "-l" or "--log-level" => "info",
        "-H" or "--host" => "unix:///tmp/lgtmlab-no-docker.sock",
        "-c" or "--context" => "default",
        "-e" or "--env" => "A=1",
        // ps's -f is --filter (name=value); elsewhere -f is --format, where any text is a template.
        "-f" or "--filter" => "label=a",
        _ => "1",
    };
}
