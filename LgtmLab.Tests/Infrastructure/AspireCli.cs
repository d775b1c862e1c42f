using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Infrastructure;

/// <summary>The Aspire CLI pinned as a local tool in .config/dotnet-tools.json, run as <c>dotnet aspire ...</c>.</summary>
internal static class AspireCli
{
    public const string ToolId = "aspire.cli";

    /// <summary>The tool manifest of the repository (copied into a test's working directory so `dotnet aspire` resolves there too).</summary>
    public static string ManifestPath => FakeToolbox.RepositoryFile(".config/dotnet-tools.json");

    /// <summary>The pinned version, as the manifest says.</summary>
    public static string Version =>
        (string?)JsonNode.Parse(File.ReadAllText(ManifestPath))?["tools"]?[ToolId]?["version"]
        ?? throw new InvalidOperationException($"{ManifestPath} does not pin {ToolId}");

    /// <summary>Whether `dotnet tool restore` has put the pinned package into the NuGet packages folder.</summary>
    public static bool IsRestored => Directory.Exists(Path.Combine(PackagesFolder, ToolId, Version));

    public static string MissingReason =>
        $"needs the Aspire CLI {Version} local tool: run `dotnet tool restore` in the repository (.ci/run does this in CI)";

    private static string PackagesFolder => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
        ? folder
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>How long one CLI run may take here; a documented `wait --timeout 1800` must not hold a failing test for half an hour.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs one command line as a shell would ("dotnet aspire wait lgtm ..."), in <paramref name="workingDirectory"/>.</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, string commandLine, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is not ["dotnet", "aspire", ..])
            throw new ArgumentException($"not a `dotnet aspire` command line: {commandLine}", nameof(commandLine));
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            return await RunAsync(workingDirectory, commandLine, words, environment ?? new Dictionary<string, string?>(), timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"`{commandLine}` did not finish within {RunTimeout.TotalMinutes} min (in {workingDirectory}); the CLI was stopped");
        }
    }

    private static async Task<CliResult> RunAsync(
        string workingDirectory, string commandLine, string[] words, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string?>
        {
            // No update check, no telemetry, no colours or hyperlinks in what the test reads.
            ["ASPIRE_VERSION_CHECK_DISABLED"] = "true",
            ["ASPIRE_CLI_TELEMETRY_OPTOUT"] = "true",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["NO_COLOR"] = "1",
        };
        foreach (var (name, value) in environment) variables[name] = value;
        var result = await Cli.Wrap("dotnet")
            .WithArguments([.. words[1..], "--nologo"])
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(variables)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        return new CliResult(commandLine, result.ExitCode, result.StandardOutput, result.StandardError);
    }
}

/// <summary>What one CLI run printed; <see cref="ToString"/> is all of it, for assertion messages.</summary>
internal sealed record CliResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"`{CommandLine}` exited {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// A fact that runs the Aspire CLI. Locally it is skipped with the reason until `dotnet tool restore` has run;
/// in CI (<c>CI=true</c>) it runs anyway and fails, so a missing restore step in .ci/run cannot hide.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresAspireCliFactAttribute : FactAttribute
{
    public RequiresAspireCliFactAttribute()
    {
        if (!AspireCli.IsRestored && !ToolPath.InCi)
            Skip = AspireCli.MissingReason;
    }
}
