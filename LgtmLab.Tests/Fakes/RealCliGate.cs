using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// Before a fake answers a helm, kubectl or docker call, the real binary parses the same argv with --help added:
/// cobra parses every flag before it looks at --help, so an unknown flag or command is refused there exactly as
/// in a real run, and nothing is executed (spf13/cobra command.go ExecuteC: c.ParseFlags, then helpFlag).
/// A refusal is answered with the real stderr and exit code. Verdicts are cached by argv, temp paths normalised.
/// Locally a missing real binary turns the gate off; under CI=true it fails the call.
/// </summary>
internal static partial class RealCliGate
{
    public static readonly IReadOnlySet<string> Tools = new HashSet<string>(StringComparer.Ordinal) { "helm", "kubectl", "docker" };

    private static readonly ConcurrentDictionary<string, Lazy<Task<RealCliVerdict>>> Verdicts = new(StringComparer.Ordinal);

    /// <summary>The real binary's verdict on <paramref name="args"/>, or null when the gate is off (no real binary, not in CI).</summary>
    public static async Task<RealCliVerdict?> CheckAsync(string tool, IReadOnlyList<string> args, FakeToolbox toolbox)
    {
        if (!Tools.Contains(tool)) return null;
        if (RealTools.Find(tool) is not { } binary)
            return ToolPath.InCi
                ? new RealCliVerdict(false, 125, $"Error: the real {tool} that checks this command line is missing: {RealTools.Missing([tool])}")
                : null;
        var normalised = args.Select(a => TempPath().Replace(a, "/tmp/lgtmlab-gate")).ToList();
        var key = tool + "\0" + string.Join('\0', normalised);
        return await Verdicts.GetOrAdd(key, _ => new Lazy<Task<RealCliVerdict>>(() => RunAsync(binary, WithHelp(tool, normalised), toolbox))).Value;
    }

    /// <summary>argv with --help where the real tool still parses every flag: appended, but for docker exec/run before CONTAINER/IMAGE (their flags stop there).</summary>
    internal static IReadOnlyList<string> WithHelp(string tool, IReadOnlyList<string> args)
    {
        if (tool == "docker" && args.Count > 0 && args[0] is "exec" or "run")
        {
            for (var i = 1; i < args.Count; i++)
            {
                var arg = args[i];
                if (arg is "--" or "-" || !arg.StartsWith('-')) return [.. args.Take(i), "--help", .. args.Skip(i)];
                if (DockerFlags.Exec.Flags.ValueFlags.Contains(arg)) i++;
            }
        }
        return [.. args, "--help"];
    }

    private static async Task<RealCliVerdict> RunAsync(string binary, IReadOnlyList<string> args, FakeToolbox toolbox)
    {
        var (exitCode, stdout, stderr) = await RunRealAsync(binary, args, toolbox);
        var refused = exitCode != 0 || Refusal().IsMatch(stdout + stderr);
        return new RealCliVerdict(!refused, exitCode == 0 ? 1 : exitCode, refused ? stderr.Length > 0 ? stderr : stdout : "");
    }

    /// <summary>Runs the real binary on exactly <paramref name="args"/>, cut off from any network and daemon.</summary>
    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunRealAsync(string binary, IReadOnlyList<string> args, FakeToolbox toolbox)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = toolbox.StateDirectory,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Clear();
        // No network: every proxy points at a closed local port and docker at a socket that does not exist.
        start.Environment["PATH"] = "/usr/bin:/bin";
        start.Environment["HOME"] = toolbox.HomeDirectory;
        start.Environment["KUBECONFIG"] = toolbox.KubeconfigPath;
        start.Environment["HTTP_PROXY"] = start.Environment["HTTPS_PROXY"] = "http://127.0.0.1:9";
        start.Environment["NO_PROXY"] = "";
        start.Environment["DOCKER_HOST"] = $"unix://{Path.Combine(toolbox.StateDirectory, "no-docker.sock")}";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"unknown (flag|command|shorthand)")]
    private static partial Regex Refusal();

    [GeneratedRegex(@"/tmp/[^\s=,:]*")]
    private static partial Regex TempPath();
}

/// <summary>What the real binary said of a command line: accepted, or refused with its exit code and message.</summary>
internal sealed record RealCliVerdict(bool Accepted, int ExitCode, string Message);
