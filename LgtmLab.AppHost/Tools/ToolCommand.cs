namespace LgtmLab.AppHost.Tools;

/// <summary>One invocation of an external tool: an argument list (never a shell string) and whether it changes anything.</summary>
/// <param name="Tool">kind, kubectl, helm, linkerd or docker.</param>
/// <param name="Mutates">True when the call changes the lab (create, apply, install, delete); counted and shown.</param>
internal sealed record ToolCommand(string Tool, IReadOnlyList<string> Arguments, bool Mutates)
{
    /// <summary>Values replaced by <c>***</c> wherever the call is logged or recorded.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Exit codes that are answers rather than failures (e.g. "not found" when probing).</summary>
    public IReadOnlyList<int> AcceptedExitCodes { get; init; } = [0];

    /// <summary>Whether stdout goes to the step's log; off for machine-readable output (JSON) that is parsed instead.</summary>
    public bool LogStandardOutput { get; init; } = true;

    /// <summary>Written to the process's standard input (e.g. a manifest for <c>kubectl apply -f -</c>); never logged.</summary>
    public string? StandardInput { get; init; }

    public string Display(IReadOnlyList<string> secrets) =>
        Redaction.Apply(string.Join(' ', new[] { Tool }.Concat(Arguments.Select(Quote))), secrets);

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => !char.IsWhiteSpace(c) && c is not '"' and not '\'') ? argument : $"'{argument}'";
}

/// <summary>What a finished call produced.</summary>
internal sealed record ToolResult(int ExitCode, IReadOnlyList<string> StandardOutput, IReadOnlyList<string> StandardError, TimeSpan Duration)
{
    public string Output => string.Join('\n', StandardOutput);
    public string Error => string.Join('\n', StandardError);
}

/// <summary>The record of one call, as kept by <see cref="ToolRunner.Calls"/> (arguments already redacted).</summary>
internal sealed record ToolCall(string Tool, string CommandLine, bool Mutates, int? ExitCode, TimeSpan Duration, DateTimeOffset StartedAt);
