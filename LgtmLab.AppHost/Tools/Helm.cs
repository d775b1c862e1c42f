using System.Text.Json;
using System.Text.Json.Serialization;
using LgtmLab.AppHost.Configuration;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>The helm commands the lab uses: install or upgrade a pinned chart, list and uninstall releases.</summary>
internal sealed class Helm(ToolRunner runner)
{
    public const string Executable = "helm";

    public async Task<string> VersionAsync(ILogger logger, CancellationToken cancellationToken) =>
        (await runner.RunAsync(new(Executable, ["version", "--template", "{{.Version}}"], Mutates: false), logger, cancellationToken).ConfigureAwait(false)).Output.Trim();

    /// <summary>Installs or upgrades <paramref name="release"/> and waits until its resources are ready.</summary>
    public Task UpgradeInstallAsync(string release, ChartVersion chart, string @namespace, string context, IReadOnlyList<string> valuesFiles,
        TimeSpan timeout, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable,
        [
            "upgrade", "--install", release, .. ChartArguments(chart), "--version", chart.Version,
            "--namespace", @namespace, "--create-namespace", "--kube-context", context,
            .. valuesFiles.SelectMany(file => new[] { "-f", file }),
            "--wait", "--timeout", Duration(timeout),
        ], Mutates: true), logger, cancellationToken);

    /// <summary>
    /// A chart repository is searched with <c>--repo</c> (its index.yaml); an OCI registry has no index, so its chart
    /// is named in full, <c>oci://REGISTRY/PATH/CHART</c>, without <c>--repo</c> (helm v4.1.4 pkg/action/install.go
    /// LocateChart: a <c>--repo</c> is always read as an index, pkg/repo/v1/chartrepo.go FindChartInRepoURL).
    /// </summary>
    public static IReadOnlyList<string> ChartArguments(ChartVersion chart) => chart.Repo.StartsWith(OciScheme, StringComparison.Ordinal)
        ? [$"{chart.Repo.TrimEnd('/')}/{chart.Chart}"]
        : [chart.Chart, "--repo", chart.Repo];

    public const string OciScheme = "oci://";

    private static string Duration(TimeSpan timeout) => timeout.TotalSeconds % 60 == 0
        ? $"{(int)timeout.TotalMinutes}m"
        : $"{Math.Max(1, (int)timeout.TotalSeconds)}s";

    /// <summary>
    /// Every release of the namespace in any state, pending and failed ones too: helm v4 lists every status when no
    /// state flag is given and refuses v3's <c>--all</c> (helm v4.1.4 pkg/cmd/list.go, pkg/action/list.go SetStateMask).
    /// </summary>
    public async Task<IReadOnlyList<HelmRelease>> ListAsync(string @namespace, string context, ILogger logger, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new(Executable, ["list", "--namespace", @namespace, "--kube-context", context, "-o", "json"], Mutates: false)
        { LogStandardOutput = false }, logger, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(result.Output) ? [] : JsonSerializer.Deserialize<List<HelmRelease>>(result.Output) ?? [];
    }

    /// <summary>
    /// <c>helm list --all-namespaces -o json</c> as helm prints it (every status: no state flag, helm v4.1.4 pkg/cmd/list.go),
    /// for a diagnostics bundle; not logged.
    /// </summary>
    public async Task<string> ListAllNamespacesJsonAsync(string context, ILogger logger, CancellationToken cancellationToken) =>
        (await runner.RunAsync(new(Executable, ["list", "--all-namespaces", "--kube-context", context, "-o", "json"], Mutates: false)
        { LogStandardOutput = false }, logger, cancellationToken).ConfigureAwait(false)).Output;

    /// <summary>Rolls a release back to its previous revision (ends an interrupted upgrade).</summary>
    public Task RollbackAsync(string release, string @namespace, string context, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["rollback", release, "--namespace", @namespace, "--kube-context", context, "--wait", "--timeout", Duration(timeout)], Mutates: true),
            logger, cancellationToken);

    public Task UninstallAsync(string release, string @namespace, string context, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["uninstall", release, "--namespace", @namespace, "--kube-context", context], Mutates: true),
            logger, cancellationToken);
}

/// <summary>One row of <c>helm list -o json</c>.</summary>
internal sealed record HelmRelease(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("revision")] string Revision,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("chart")] string Chart,
    [property: JsonPropertyName("app_version")] string? AppVersion);
