using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake kubectl's command tree cannot drift from kubectl v1.35.2: the real kubectl parses every flag it lists,
/// and the fake refuses what the real kubectl refuses with the same message and exit code.
/// </summary>
public sealed class KubectlFlagsTests : IAsyncLifetime
{
    private FakeToolbox _toolbox = null!;

    public Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    [RequiresRealToolFact("kubectl")]
    public async Task The_real_kubectl_accepts_every_flag_of_the_fakes_tables()
    {
        await File.WriteAllTextAsync(Path.Combine(_toolbox.StateDirectory, "kuberc.yaml"), "");
        var tables = KubectlFlags.Commands().ToList();
        Assert.Equal(["version", "apply", "delete", "config", "config delete-context", "config use-context", "config unset"], tables.Select(t => string.Join(' ', t.Command)));
        foreach (var (command, flags) in tables)
        {
            // One command line per table: pflag stops at the first unknown flag and names it; --help stops before Run.
            string[] argv =
            [
                .. command,
                .. flags.ValueFlags.Order(StringComparer.Ordinal).SelectMany(f => new[] { f, SampleValue(f) }),
                .. flags.BoolFlags.Order(StringComparer.Ordinal),
            ];
            var verdict = await RealCliGate.CheckAsync("kubectl", argv, _toolbox);

            Assert.True(verdict is { Accepted: true }, $"kubectl {string.Join(' ', command)}: {verdict?.Message}");
        }
    }

    public static TheoryData<string[]> Refused() => new()
    {
        { ["version", "--client", "-o", "json", "--short"] },
        { ["version", "--client", "-o"] },
        { ["--context", "kind-lgtm-central", "apply", "--server-side", "--field-manager", "lgtmlab", "--prune-all", "-f", "-"] },
        { ["--context", "kind-lgtm-central", "apply", "--server-side", "-Z", "-f", "-"] },
        { ["--bogus", "apply", "-f", "-"] },
        { ["config", "delete-context", "--all", "kind-lgtm-central"] },
        { ["config", "bogus"] },
        { ["config", "use-context", "--current", "kind-lgtm-central"] },
        { ["config", "unset", "--all", "current-context"] },
        { ["-n", "linkerd-multicluster", "delete", "deployment", "linkerd-gateway", "--bogus"] },
        { ["bogus"] },
        { ["aply", "-f", "-"] },
    };

    [RequiresRealToolTheory("kubectl")]
    [MemberData(nameof(Refused))]
    public async Task The_fake_refuses_what_the_real_kubectl_refuses_with_its_message(string[] argv)
    {
        var real = await RealCliGate.RunRealAsync(RealTools.Find("kubectl") ?? throw new InvalidOperationException(RealTools.Missing(["kubectl"])), argv, _toolbox);
        var call = new FakeCall("kubectl", argv, _toolbox.StateDirectory, null, null, null, null, CancellationToken.None);

        var exitCode = new KubectlCli(_toolbox).Run(call);

        Assert.NotEqual(0, real.ExitCode);
        Assert.Equal((real.ExitCode, real.Stderr), (exitCode, call.Stderr));
    }

    // pflag parses typed flags when they are set: durations need a unit, numbers digits.
    private static string SampleValue(string flag) => flag switch
    {
        "--timeout" or "--request-timeout" or "--log-flush-frequency" => "1s",
        "-o" or "--output" => "json",
        "--as-user-extra" or "--vmodule" => "a=1",
        "--profile" => "none",
        "--kuberc" => "kuberc.yaml", // read before --help is looked at: an empty file in the working directory
        _ => "1",
    };
}
