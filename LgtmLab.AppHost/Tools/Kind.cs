using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>The kind commands the lab uses.</summary>
/// <param name="runner">Runs the commands.</param>
/// <param name="kubeconfig">
/// The kubeconfig kind writes (KUBECONFIG of <paramref name="runner"/>): when given, its current-context is set back
/// after <c>create cluster</c> and <c>export kubeconfig</c>, which move it to the lab's cluster.
/// </param>
internal sealed class Kind(ToolRunner runner, string? kubeconfig = null)
{
    public const string Executable = "kind";

    /// <summary>The label kind puts on every node container, valued with the cluster's name.</summary>
    // kind v0.32.0 pkg/cluster/internal/providers/docker/constants.go clusterLabelKey
    public const string ClusterLabel = "io.x-k8s.kind.cluster";

    private readonly CurrentContextKeeper? _currentContext = kubeconfig is null ? null : new(kubeconfig, new Kubectl(runner));

    public async Task<string> VersionAsync(ILogger logger, CancellationToken cancellationToken) =>
        (await runner.RunAsync(new(Executable, ["version"], Mutates: false), logger, cancellationToken).ConfigureAwait(false)).Output.Trim();

    public async Task<IReadOnlyList<string>> GetClustersAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new(Executable, ["get", "clusters"], Mutates: false) { LogStandardOutput = false },
            logger, cancellationToken).ConfigureAwait(false);
        return Lines(result);
    }

    public Task CreateClusterAsync(string name, string configFile, string nodeImage, ILogger logger, CancellationToken cancellationToken) =>
        KeepingCurrentContextAsync(new(Executable, ["create", "cluster", "--name", name, "--config", configFile, "--image", nodeImage, "--wait", "2m"], Mutates: true),
            logger, cancellationToken);

    public async Task<IReadOnlyList<string>> GetNodesAsync(string name, ILogger logger, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new(Executable, ["get", "nodes", "--name", name], Mutates: false) { LogStandardOutput = false },
            logger, cancellationToken).ConfigureAwait(false);
        return Lines(result);
    }

    /// <summary>Writes the <c>kind-&lt;name&gt;</c> context into KUBECONFIG again.</summary>
    public Task ExportKubeconfigAsync(string name, ILogger logger, CancellationToken cancellationToken) =>
        KeepingCurrentContextAsync(new(Executable, ["export", "kubeconfig", "--name", name], Mutates: true), logger, cancellationToken);

    /// <summary>Deletes the cluster's node containers and its kubeconfig context; succeeds when it does not exist.</summary>
    public Task DeleteClusterAsync(string name, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["delete", "cluster", "--name", name], Mutates: true), logger, cancellationToken);

    /// <summary>Imports a <c>docker save</c> archive into every node of the cluster.</summary>
    public Task LoadImageArchiveAsync(string name, string archive, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["load", "image-archive", archive, "--name", name], Mutates: true), logger, cancellationToken);

    private Task KeepingCurrentContextAsync(ToolCommand command, ILogger logger, CancellationToken cancellationToken) =>
        _currentContext is null
            ? runner.RunAsync(command, logger, cancellationToken)
            : _currentContext.RunAsync(() => runner.RunAsync(command, logger, cancellationToken), logger, cancellationToken);

    private static List<string> Lines(ToolResult result) =>
        result.StandardOutput.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
