using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>The linkerd commands the lab uses: the multicluster link and its checks (Linkerd itself is installed with Helm).</summary>
internal sealed class Linkerd(ToolRunner runner)
{
    public const string Executable = "linkerd";

    private static readonly IReadOnlyList<int> AnyExitCode = [.. Enumerable.Range(0, 256)];

    /// <summary>
    /// <c>linkerd --context &lt;context&gt; multicluster link-gen --cluster-name &lt;name&gt; --api-server-address &lt;address&gt;</c>:
    /// the Link and the credentials (a kubeconfig with a bearer token) another cluster needs to mirror this one's
    /// services. A secret: the output is never logged, and a failure carries stderr only.
    /// </summary>
    public async Task<string> MulticlusterLinkGenAsync(string context, string clusterName, string apiServerAddress, ILogger logger, CancellationToken cancellationToken)
    {
        var command = new ToolCommand(Executable,
            ["--context", context, "multicluster", "link-gen", "--cluster-name", clusterName, "--api-server-address", apiServerAddress], Mutates: false)
        { LogStandardOutput = false, AcceptedExitCodes = AnyExitCode };
        var result = await runner.RunAsync(command, logger, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0) return result.Output + "\n";
        var withoutSecrets = result with { StandardOutput = [] };
        throw new ToolFailedException(command.Display([]), withoutSecrets, TransientToolErrors.IsTransient(withoutSecrets));
    }

    /// <summary><c>linkerd multicluster check</c> on a cluster, its output in the log; throws when a check fails.</summary>
    public Task<ToolResult> MulticlusterCheckAsync(string context, TimeSpan wait, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["--context", context, "multicluster", "check", "--wait", $"{Math.Max(1, (int)wait.TotalSeconds)}s"], Mutates: false),
            logger, cancellationToken);

    /// <summary>
    /// <c>linkerd multicluster check</c> or <c>gateways</c> on a cluster as a report: whatever it printed and its exit code,
    /// a failed check included (for a diagnostics bundle; stdout is not logged).
    /// </summary>
    public Task<ToolResult> MulticlusterReportAsync(string context, IReadOnlyList<string> multiclusterArguments, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["--context", context, "multicluster", .. multiclusterArguments], Mutates: false)
        { LogStandardOutput = false, AcceptedExitCodes = AnyExitCode }, logger, cancellationToken);

    /// <summary>
    /// <c>linkerd multicluster gateways</c> on a cluster: how each linked cluster's gateway answers this cluster's
    /// probes (alive, latency; read from viz metrics). <paramref name="logOutput"/> shows the table in the log.
    /// </summary>
    public async Task<IReadOnlyList<GatewayStatus>> MulticlusterGatewaysAsync(string context, string? clusterName, bool logOutput, ILogger logger, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new(Executable,
            ["--context", context, "multicluster", "gateways", .. clusterName is null ? Array.Empty<string>() : ["--cluster-name", clusterName]], Mutates: false)
        { LogStandardOutput = logOutput }, logger, cancellationToken).ConfigureAwait(false);
        return GatewayStatus.ParseTable(result.StandardOutput);
    }
}
