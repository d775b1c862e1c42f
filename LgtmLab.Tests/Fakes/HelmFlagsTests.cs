using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Fakes;

/// <summary>The fake helm's flag tables cannot drift from helm v4.1.4: the real helm parses every flag they list.</summary>
public sealed class HelmFlagsTests
{
    [RequiresRealToolFact("helm")]
    public async Task The_real_helm_accepts_every_flag_of_the_fakes_tables()
    {
        await using var toolbox = FakeToolbox.Create();
        foreach (var (command, flags) in HelmFlags.Commands)
        {
            // One command line per table: pflag stops at the first unknown flag and names it; --help stops before RunE.
            string[] argv =
            [
                .. command,
                .. flags.ValueFlags.Order(StringComparer.Ordinal).SelectMany(f => new[] { f, SampleValue(f) }),
                .. flags.BoolFlags.Where(f => f is not ("-h" or "--help")).Order(StringComparer.Ordinal),
            ];
            var verdict = await RealCliGate.CheckAsync("helm", argv, toolbox);

            Assert.True(verdict is { Accepted: true }, $"helm {string.Join(' ', command)}: {verdict?.Message}");
        }
    }

    // pflag parses typed flags when they are set: durations need a unit, numbers digits.
    private static string SampleValue(string flag) => flag switch
    {
        "--timeout" => "1s",
        "--post-renderer" => "", // its value names an installed plugin, checked as it is set
        "-o" or "--output" => "json",
        "--color" or "--colour" => "auto",
        "-l" or "--labels" or "--set" or "--set-string" or "--set-json" or "--set-file" or "--set-literal" => "a=1",
        _ => "1",
    };
}
