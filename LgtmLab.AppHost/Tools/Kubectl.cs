using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>The kubectl commands the lab uses (reads of cluster state go through KubernetesClient instead).</summary>
internal sealed class Kubectl(ToolRunner runner)
{
    public const string Executable = "kubectl";
    public const string FieldManager = "lgtmlab";

    public async Task<string> ClientVersionAsync(ILogger logger, CancellationToken cancellationToken) =>
        (await runner.RunAsync(new(Executable, ["version", "--client", "-o", "json"], Mutates: false) { LogStandardOutput = false },
            logger, cancellationToken).ConfigureAwait(false)).Output;

    /// <summary>Server-side apply of a manifest file; the lab owns the fields it sets.</summary>
    public Task ApplyAsync(string context, string manifestFile, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["--context", context, "apply", "--server-side", "--field-manager", FieldManager, "-f", manifestFile], Mutates: true),
            logger, cancellationToken);

    /// <summary>
    /// Server-side apply of a manifest passed on standard input (<c>-f -</c>), for manifests that must not touch a
    /// file or a log, such as the credentials of <c>linkerd multicluster link-gen</c>.
    /// </summary>
    public Task ApplyFromStandardInputAsync(string context, string manifest, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["--context", context, "apply", "--server-side", "--field-manager", FieldManager, "-f", "-"], Mutates: true)
        { StandardInput = manifest }, logger, cancellationToken);

    /// <summary>Makes <paramref name="context"/> the kubeconfig's current-context (kubectl v1.35.2 pkg/cmd/config/use_context.go).</summary>
    public Task UseContextAsync(string context, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["config", "use-context", context], Mutates: true), logger, cancellationToken);

    /// <summary>Leaves the kubeconfig without a current-context (kubectl v1.35.2 pkg/cmd/config/unset.go).</summary>
    public Task UnsetCurrentContextAsync(ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["config", "unset", "current-context"], Mutates: true), logger, cancellationToken);

    public Task DeleteContextAsync(string context, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["config", "delete-context", context], Mutates: true), logger, cancellationToken);
}
