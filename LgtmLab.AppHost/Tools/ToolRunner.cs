using System.Collections.Concurrent;
using System.Diagnostics;
using CliWrap;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>
/// Runs every external command of the lab: resolves the pinned executable, passes an argument list, streams
/// stdout and stderr line by line into the step's logger with secrets redacted, and records exit code,
/// duration and whether the call mutates.
/// </summary>
/// <param name="environment">Variables every process gets (KUBECONFIG, and whatever tests add).</param>
/// <param name="searchPath">Where docker and dotnet are looked up (PATH syntax); the process PATH when null. Docker is never installed by the lab.</param>
internal sealed class ToolRunner(IToolLocator locator, IReadOnlyDictionary<string, string?> environment, string? searchPath = null)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _paths = new();
    private readonly ConcurrentQueue<ToolCall> _calls = new();

    /// <summary>Every call made so far, in completion order.</summary>
    public IReadOnlyCollection<ToolCall> Calls => _calls;

    /// <summary>Raised after each call finishes (or is cancelled).</summary>
    public event Action<ToolCall>? CallCompleted;

    public async Task<ToolResult> RunAsync(ToolCommand command, ILogger logger, CancellationToken cancellationToken)
    {
        var executable = await ResolveAsync(command.Tool, logger, cancellationToken).ConfigureAwait(false);
        var display = command.Display(command.Secrets);
        var stdout = new List<string>();
        var stderr = new List<string>();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        logger.LogInformation("$ {Command}", display);

        void Line(List<string> sink, string line, bool log)
        {
            lock (sink) sink.Add(line);
            if (log) logger.LogInformation("{Line}", Redaction.Apply(line, command.Secrets));
        }

        int? exitCode = null;
        try
        {
            var result = await Cli.Wrap(executable)
                .WithArguments(command.Arguments)
                .WithEnvironmentVariables(environment)
                .WithValidation(CommandResultValidation.None)
                .WithStandardInputPipe(command.StandardInput is null ? PipeSource.Null : PipeSource.FromString(command.StandardInput))
                .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Line(stdout, line, command.LogStandardOutput)))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Line(stderr, line, true)))
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
            exitCode = result.ExitCode;
        }
        finally
        {
            var call = new ToolCall(command.Tool, display, command.Mutates, exitCode, clock.Elapsed, started);
            _calls.Enqueue(call);
            CallCompleted?.Invoke(call);
            logger.Log(exitCode == 0 ? LogLevel.Debug : LogLevel.Information, "{Tool} exited with {ExitCode} after {Seconds:F1} s",
                command.Tool, exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(cancelled)", clock.Elapsed.TotalSeconds);
        }

        var toolResult = new ToolResult(exitCode.Value, stdout, stderr, clock.Elapsed);
        if (!command.AcceptedExitCodes.Contains(exitCode.Value))
            throw new ToolFailedException(display, Redact(toolResult, command.Secrets), TransientToolErrors.IsTransient(toolResult));
        return toolResult;
    }

    private static ToolResult Redact(ToolResult result, IReadOnlyList<string> secrets) => result with
    {
        StandardOutput = result.StandardOutput.Select(l => Redaction.Apply(l, secrets)).ToList(),
        StandardError = result.StandardError.Select(l => Redaction.Apply(l, secrets)).ToList(),
    };

    private Task<string> ResolveAsync(string tool, ILogger logger, CancellationToken cancellationToken)
    {
        // docker and dotnet are prerequisites the lab never installs: they come from the search path as they are.
        var lazy = _paths.GetOrAdd(tool, t => new Lazy<Task<string>>(() => t switch
        {
            Docker.Executable => Task.FromResult(ExecutableSearch.Find(t, searchPath) ?? throw Docker.NotInstalled()),
            DotnetCli.Executable => Task.FromResult(ExecutableSearch.Find(t, searchPath) ?? throw DotnetCli.NotInstalled()),
            _ => locator.ResolveAsync(t, logger, cancellationToken),
        }));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled) _paths.TryRemove(tool, out _); // let the next call try again
        return task;
    }
}
