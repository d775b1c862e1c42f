using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// One line of the toolbox journal: a call of a fake tool and how it ended. <paramref name="RefusedByRealCli"/> is the
/// real binary's message when it refused the command line (see <see cref="RealCliGate"/>).
/// </summary>
internal sealed record ToolInvocation(
    string Tool, IReadOnlyList<string> Args, int ExitCode, bool Mutating, bool Aborted,
    DateTimeOffset StartedAt, TimeSpan Duration, string Stdout, string Stderr, string? RefusedByRealCli = null)
{
    /// <summary>"helm upgrade --install metallb ...": the argv as one line (for patterns and messages).</summary>
    public string CommandLine => string.Join(' ', new[] { Tool }.Concat(Args));

    public JsonObject ToJson() => new()
    {
        ["tool"] = Tool,
        ["argv"] = new JsonArray([.. Args.Select(a => (JsonNode?)a)]),
        ["exit"] = ExitCode,
        ["mutating"] = Mutating,
        ["aborted"] = Aborted,
        ["startedAt"] = StartedAt.ToString("O"),
        ["durationMs"] = Math.Round(Duration.TotalMilliseconds, 1),
        ["refusedByRealCli"] = RefusedByRealCli,
    };

    public override string ToString() => $"{CommandLine} -> {ExitCode}{(Mutating ? " (mutating)" : "")}{(Aborted ? " (aborted)" : "")}{(RefusedByRealCli is null ? "" : $" (REFUSED by the real {Tool}: {RefusedByRealCli})")}";
}
