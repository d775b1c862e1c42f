namespace LgtmLab.AppHost.Tools;

/// <summary>An external command exited with an unexpected code; carries its last stderr lines and whether a retry may help.</summary>
internal sealed class ToolFailedException(string commandLine, ToolResult result, bool isTransient)
    : Exception($"`{commandLine}` exited with {result.ExitCode}: {Tail(result)}")
{
    public string CommandLine { get; } = commandLine;
    public ToolResult Result { get; } = result;
    public bool IsTransient { get; } = isTransient;

    /// <summary>The last lines of stderr (or stdout when stderr is empty): what the tool said about the failure.</summary>
    public static string Tail(ToolResult result, int lines = 5)
    {
        var source = result.StandardError.Any(l => l.Trim().Length > 0) ? result.StandardError : result.StandardOutput;
        var tail = source.Where(l => l.Trim().Length > 0).TakeLast(lines).ToList();
        return tail.Count == 0 ? "(no output)" : string.Join(" | ", tail.Select(l => l.Trim()));
    }
}

/// <summary>A tool the lab needs is not installed and cannot be provided.</summary>
internal sealed class ToolNotFoundException(string message) : Exception(message);
