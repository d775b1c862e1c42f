using CliWrap;
using CliWrap.Buffered;

namespace LgtmLab.Tests.Fakes;

/// <summary>Running a fake from a test, the way the engine's runner does (a real process, CliWrap, the toolbox environment).</summary>
internal sealed partial class FakeToolbox
{
    /// <summary>Runs a fake tool as a process and returns its exit code and output (never throws on a non-zero exit).</summary>
    public Task<FakeRunResult> RunAsync(string tool, params string[] args) => RunAsync(tool, args, stdin: null, CancellationToken.None);

    public async Task<FakeRunResult> RunAsync(string tool, IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var command = Cli.Wrap(ToolPath(tool))
            .WithArguments(args)
            .WithEnvironmentVariables(Environment)
            .WithWorkingDirectory(StateDirectory)
            .WithValidation(CommandResultValidation.None);
        if (stdin is not null) command = command.WithStandardInputPipe(PipeSource.FromString(stdin));
        var result = await command.ExecuteBufferedAsync(cancellationToken);
        return new FakeRunResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}

/// <summary>What a fake tool process printed and returned.</summary>
internal sealed record FakeRunResult(int ExitCode, string Stdout, string Stderr);
