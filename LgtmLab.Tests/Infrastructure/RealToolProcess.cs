using CliWrap;
using CliWrap.Buffered;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// Runs a real helm, kubectl or docker with only the variables given (nothing inherited from the test process), so
/// the real tool sees the same input as the fake: the fake's kubeconfig, a throw-away HOME, no proxy, no daemon.
/// </summary>
internal static class RealToolProcess
{
    public static async Task<FakeRunResult> RunAsync(string tool, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var binary = RealTools.Find(tool) ?? throw new InvalidOperationException(RealTools.Missing([tool]));
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>()) variables[name] = null;
        variables["PATH"] = "/usr/bin:/bin";
        foreach (var (name, value) in environment) variables[name] = value;
        var result = await Cli.Wrap(binary)
            .WithArguments(args)
            .WithEnvironmentVariables(variables)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return new FakeRunResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
