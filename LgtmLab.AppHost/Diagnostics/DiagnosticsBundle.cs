using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Diagnostics;

/// <summary>
/// "Collect diagnostics": one folder <c>&lt;state&gt;/diagnostics/&lt;UTC time&gt;/</c> and a zip of it with what it takes to
/// see why the lab is not working, secrets redacted (<see cref="BundleRedactor"/>). Each part is collected on its own
/// with a time limit; a part that fails (a cluster that is down, a tool that is missing) is named in
/// <c>summary.txt</c> with its error and the others are still collected. Read-only: nothing in the lab changes.
/// </summary>
/// <remarks>
/// Layout: <c>summary.txt</c>, <c>lab.json</c>, <c>kubeconfig-contexts.txt</c> (names only), <c>apphost.log</c> (the lines
/// the lab logged, <see cref="LogRing"/>), <c>engine/commands.log</c> (every command run), <c>engine/outcomes.json</c>
/// (the last outcome of every step), <c>state-files.txt</c> (names of the state folder's files, not their contents:
/// it holds private keys), and per cluster <c>clusters/NAME/</c>: <c>kind-logs/</c> (<c>kind export logs</c>),
/// <c>nodes.json</c>, <c>namespaces/NS/pods.json</c> and <c>events.json</c>, <c>helm-releases.json</c>,
/// <c>lgtmlab-state.json</c>, and for a remote with Linkerd <c>linkerd-multicluster-check.txt</c> and
/// <c>linkerd-multicluster-gateways.txt</c>.
/// </remarks>
internal sealed class DiagnosticsBundle(
    LabServices lab,
    IReadOnlyList<string> clusters,
    IReadOnlyDictionary<string, StepOutcome> outcomes,
    LogRing log)
{
    /// <summary>The folder under the lab's state folder that holds the bundles; Delete lab keeps it.</summary>
    public const string FolderName = "diagnostics";

    private static readonly TimeSpan PartTimeout = TimeSpan.FromMinutes(2);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private readonly List<string> _summary = [];

    /// <summary>Collects everything; returns the bundle's folder (the zip is the same path with <c>.zip</c>).</summary>
    public async Task<string> CollectAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var root = NewFolder();
        logger.LogInformation("Collecting diagnostics of lab {Lab} into {Directory}", lab.Topology.Name, root);
        var clock = Stopwatch.StartNew();
        var secrets = await SecretsAsync(logger, cancellationToken).ConfigureAwait(false);

        await PartAsync("lab.json", logger, cancellationToken, _ => WriteAsync(root, "lab.json", LabJson(), cancellationToken));
        await PartAsync("kubeconfig-contexts.txt", logger, cancellationToken, _ => WriteAsync(root, "kubeconfig-contexts.txt", Contexts(), cancellationToken));
        await PartAsync("engine/outcomes.json", logger, cancellationToken, _ => WriteAsync(root, "engine/outcomes.json",
            JsonSerializer.Serialize(outcomes.Values.OrderBy(o => o.StepId, StringComparer.Ordinal), Indented), cancellationToken));
        await PartAsync("state-files.txt", logger, cancellationToken, _ => WriteAsync(root, "state-files.txt", StateFiles(), cancellationToken));
        foreach (var cluster in clusters)
            await ClusterAsync(root, cluster, logger, cancellationToken);
        // last, so the lines about this collection are in it too
        await PartAsync("engine/commands.log", logger, cancellationToken, _ => WriteAsync(root, "engine/commands.log", Commands(), cancellationToken));
        await PartAsync("apphost.log", logger, cancellationToken, _ => WriteAsync(root, "apphost.log", string.Join('\n', log.Lines) + "\n", cancellationToken));
        await WriteAsync(root, "summary.txt",
            $"Diagnostics of lab {lab.Topology.Name}, collected {DateTimeOffset.UtcNow:O} in {clock.Elapsed.TotalSeconds:F1} s; secrets are redacted ({BundleRedactor.Mask}).\n"
            + string.Join('\n', _summary) + "\n", cancellationToken);

        var redactor = new BundleRedactor(secrets);
        await redactor.ApplyToFilesAsync(root, cancellationToken).ConfigureAwait(false);
        var zip = root + ".zip";
        ZipFile.CreateFromDirectory(root, zip, CompressionLevel.Optimal, includeBaseDirectory: true);

        var failed = _summary.Count(s => s.StartsWith("FAILED", StringComparison.Ordinal));
        logger.LogInformation("Diagnostics written to {Directory} and {Zip} ({Failed} of {Parts} parts failed; see summary.txt)",
            root, zip, failed, _summary.Count);
        return root;
    }

    private async Task ClusterAsync(string root, string cluster, ILogger logger, CancellationToken cancellationToken)
    {
        var dir = $"clusters/{cluster}";
        var context = ConfigMapStateStore.ContextOf(cluster);
        await PartAsync($"{dir}/kind-logs", logger, cancellationToken, token =>
            lab.Runner.RunAsync(new ToolCommand(Kind.Executable, ["export", "logs", Path.Combine(root, "clusters", cluster, "kind-logs"), "--name", cluster], Mutates: false)
            { LogStandardOutput = false }, logger, token));
        await PartAsync($"{dir}/nodes.json", logger, cancellationToken, async token =>
            await WriteAsync(root, $"{dir}/nodes.json", KubernetesJson.Serialize(await lab.Kubernetes.For(context).CoreV1.ListNodeAsync(cancellationToken: token).ConfigureAwait(false)), token).ConfigureAwait(false));
        await PartAsync($"{dir}/namespaces (pods, events)", logger, cancellationToken, async token =>
        {
            var client = lab.Kubernetes.For(context);
            var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: token).ConfigureAwait(false);
            foreach (var ns in namespaces.Items.Select(n => n.Metadata.Name).Order(StringComparer.Ordinal))
            {
                var pods = await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: token).ConfigureAwait(false);
                await WriteAsync(root, $"{dir}/namespaces/{ns}/pods.json", KubernetesJson.Serialize(pods), token).ConfigureAwait(false);
                var events = await client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: token).ConfigureAwait(false);
                await WriteAsync(root, $"{dir}/namespaces/{ns}/events.json", KubernetesJson.Serialize(events), token).ConfigureAwait(false);
            }
        });
        await PartAsync($"{dir}/helm-releases.json", logger, cancellationToken, async token =>
            await WriteAsync(root, $"{dir}/helm-releases.json", await lab.Helm.ListAllNamespacesJsonAsync(context, logger, token).ConfigureAwait(false), token).ConfigureAwait(false));
        await PartAsync($"{dir}/lgtmlab-state.json", logger, cancellationToken, async token =>
        {
            var map = await lab.Kubernetes.For(context).CoreV1.ReadNamespacedConfigMapAsync(ConfigMapStateStore.Name, ConfigMapStateStore.Namespace, cancellationToken: token).ConfigureAwait(false);
            var data = new SortedDictionary<string, string>(map.Data ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            await WriteAsync(root, $"{dir}/lgtmlab-state.json", JsonSerializer.Serialize(data, Indented), token).ConfigureAwait(false);
        });
        if (cluster == lab.Topology.Central.Name || !lab.Topology.Components.Linkerd) return;
        var linkerd = new Linkerd(lab.Runner);
        foreach (var (file, arguments) in new (string, string[])[]
        {
            ("linkerd-multicluster-check.txt", ["check", "--wait", "30s"]),
            ("linkerd-multicluster-gateways.txt", ["gateways"]),
        })
            await PartAsync($"{dir}/{file}", logger, cancellationToken, async token =>
            {
                var result = await linkerd.MulticlusterReportAsync(context, arguments, logger, token).ConfigureAwait(false);
                await WriteAsync(root, $"{dir}/{file}",
                    $"$ linkerd --context {context} multicluster {string.Join(' ', arguments)}\n(exit code {result.ExitCode})\n{result.Output}\n{result.Error}\n", token).ConfigureAwait(false);
            });
    }

    /// <summary>Runs one part with a time limit; its failure is recorded, never thrown (cancelling the whole collection is).</summary>
    private async Task PartAsync(string name, ILogger logger, CancellationToken cancellationToken, Func<CancellationToken, Task> work)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(PartTimeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await work(limit.Token).ConfigureAwait(false);
            _summary.Add($"ok      {name} ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? $"took longer than {PartTimeout.TotalMinutes:F0} min" : e.Message;
            _summary.Add($"FAILED  {name}: {reason}");
            logger.LogWarning("Diagnostics: {Part} could not be collected: {Reason}", name, reason);
        }
    }

    private string NewFolder()
    {
        var parent = Path.Combine(lab.Topology.StateDirectory, FolderName);
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(parent, stamp);
        for (var n = 2; Directory.Exists(path) || File.Exists(path + ".zip"); n++) path = Path.Combine(parent, $"{stamp}-{n}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static async Task WriteAsync(string root, string relative, string text, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
    }

    private string LabJson() => JsonSerializer.Serialize(new
    {
        lab.Topology.Name,
        lab.Topology.StateDirectory,
        lab.Topology.Kubeconfig,
        lab.Versions.NodeImage,
        Clusters = lab.Topology.Clusters.Select(c => new
        {
            c.Name, Context = c.KubeContext, PodSubnet = c.PodSubnet.ToString(), ServiceSubnet = c.ServiceSubnet.ToString(),
            HostPorts = c.PortMappings.Select(p => p.ToString()),
        }),
        lab.Topology.Components,
    }, Indented);

    private string Contexts()
    {
        if (!File.Exists(lab.Topology.Kubeconfig)) return $"{lab.Topology.Kubeconfig} does not exist\n";
        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(lab.Topology.Kubeconfig));
        var text = new StringBuilder($"{lab.Topology.Kubeconfig}\ncurrent-context: {config.CurrentContext}\ncontexts:\n");
        foreach (var context in config.Contexts ?? []) text.Append(CultureInfo.InvariantCulture, $"  {context.Name} (cluster {context.ContextDetails?.Cluster})\n");
        return text.ToString();
    }

    private string StateFiles()
    {
        var state = lab.Topology.StateDirectory;
        if (!Directory.Exists(state)) return $"{state} does not exist\n";
        var files = Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(state, f))
            .Where(f => !f.StartsWith(FolderName + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{new FileInfo(Path.Combine(state, f)).Length,10}  {f}");
        return $"{state}\n{string.Join('\n', files)}\n";
    }

    private string Commands() => string.Join('\n', lab.Runner.Calls.OrderBy(c => c.StartedAt).Select(c =>
        $"{c.StartedAt:O} {c.Duration.TotalSeconds,7:F1} s  exit {c.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "(cancelled)"}{(c.Mutates ? "  mutates" : "")}  {c.CommandLine}")) + "\n";

    /// <summary>The secret values to take out by value: Grafana's admin password (the Aspire parameter).</summary>
    private async Task<IReadOnlyList<string>> SecretsAsync(ILogger logger, CancellationToken cancellationToken)
    {
        if (lab.GrafanaAdminPassword is null) return [];
        try
        {
            return await lab.GrafanaAdminPassword(cancellationToken).ConfigureAwait(false) is { Length: > 0 } password ? [password] : [];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _summary.Add($"FAILED  reading Grafana's admin password to redact it: {e.Message} (password fields are still masked by name)");
            logger.LogWarning("Diagnostics: Grafana's admin password could not be read to redact it by value: {Error}", e.Message);
            return [];
        }
    }
}
