using System.Text.Json;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Steps;

/// <summary>
/// A kind cluster and its kubeconfig context <c>kind-&lt;name&gt;</c>. Never destroys a cluster silently: when the
/// configuration of an existing cluster changed, it fails and asks for the Recreate command.
/// </summary>
internal sealed class KindClusterStep(ClusterSpec cluster, LabServices lab) : Step
{
    private readonly Lazy<string> _config = new(() =>
        KindClusterConfigRenderer.Render(lab.Assets.KindClusterTemplate, cluster).ToYaml());

    public ClusterSpec Cluster => cluster;
    public override string Id => StepIds.Cluster(cluster.Name);
    public override string ResourceName => cluster.Name;
    public override string? StateCluster => cluster.Name;
    public override TimeSpan Timeout => TimeSpan.FromMinutes(10);

    /// <summary>The rendered kind config this cluster is created from.</summary>
    public string KindConfig => _config.Value;

    public override string Fingerprint => Provisioning.Fingerprint.Of(("kindConfig", KindConfig), ("nodeImage", lab.Versions.NodeImage));

    /// <summary>The inputs behind the fingerprint, recorded so a change can be named.</summary>
    public IReadOnlyDictionary<string, string> Inputs => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["podSubnet"] = cluster.PodSubnet.ToString(),
        ["serviceSubnet"] = cluster.ServiceSubnet.ToString(),
        ["nodeImage"] = lab.Versions.NodeImage,
        ["hostPorts"] = string.Join(", ", cluster.PortMappings),
        ["kindTemplate"] = Provisioning.Fingerprint.OfFile(lab.Assets.KindClusterTemplate),
    };

    private string Directory => lab.ClusterDirectory(cluster.Name);
    private string ConfigFile => Path.Combine(Directory, "kind.yaml");
    private string CreatingMarker => Path.Combine(Directory, "creating");
    private string InputsKey => Id + ".inputs";

    public override async Task<bool> CheckAsync(StepContext context) =>
        await ExistsAsync(context).ConfigureAwait(false) && lab.Kubernetes.HasContext(cluster.KubeContext)
        && (await StoppedNodesAsync(context).ConfigureAwait(false)).Count == 0;

    public override async Task ApplyAsync(StepContext context)
    {
        if (await ExistsAsync(context).ConfigureAwait(false))
        {
            if (!File.Exists(CreatingMarker))
            {
                await StartStoppedNodesAsync(context).ConfigureAwait(false);
                await AdoptAsync(context).ConfigureAwait(false);
                return;
            }
            if (await IsHealthyAsync(context).ConfigureAwait(false))
            {
                context.Logger.LogInformation("Cluster {Cluster} was created by an interrupted run and is ready; finishing its record", cluster.Name);
                await RecordAsync(context).ConfigureAwait(false);
                return;
            }
            context.Logger.LogWarning("Cluster {Cluster} is left over from a creation that was interrupted; deleting it to create it again", cluster.Name);
            await lab.Kind.DeleteClusterAsync(cluster.Name, context.Logger, context.CancellationToken).ConfigureAwait(false);
        }

        System.IO.Directory.CreateDirectory(Directory);
        await File.WriteAllTextAsync(ConfigFile, KindConfig, context.CancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(CreatingMarker, DateTimeOffset.UtcNow.ToString("O"), context.CancellationToken).ConfigureAwait(false);
        await lab.Kind.CreateClusterAsync(cluster.Name, ConfigFile, lab.Versions.NodeImage, context.Logger, context.CancellationToken).ConfigureAwait(false);
        await WaitForNodesReadyAsync(context).ConfigureAwait(false);
        await RecordAsync(context).ConfigureAwait(false);
    }

    /// <summary>Records what the cluster was created from, then drops the marker that says a creation is under way.</summary>
    private async Task RecordAsync(StepContext context)
    {
        await lab.State.WriteAsync(cluster.Name, InputsKey, JsonSerializer.Serialize(Inputs), context.CancellationToken).ConfigureAwait(false);
        await lab.State.WriteAsync(cluster.Name, Id, Fingerprint, context.CancellationToken).ConfigureAwait(false);
        File.Delete(CreatingMarker);
    }

    /// <summary>kind writes the context last, so a creation killed before the end has none (or an API server that never answers).</summary>
    private async Task<bool> IsHealthyAsync(StepContext context)
    {
        if (!lab.Kubernetes.HasContext(cluster.KubeContext)) return false;
        try
        {
            var nodes = await ClusterQueries.NodesAsync(lab.Kubernetes.For(cluster.KubeContext), context.CancellationToken).ConfigureAwait(false);
            return nodes.Count > 0 && nodes.All(n => n.Ready);
        }
        catch (Exception e) when (StepFailures.IsTransient(e) && !context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public override Task VerifyAsync(StepContext context) => WaitForNodesReadyAsync(context);

    public override string? HintFor(Exception failure) =>
        $"see the log of {cluster.Name}; `kind create cluster` needs Docker running with enough memory, and `docker ps -a --filter name={cluster.Name}` shows its node";

    /// <summary>
    /// After a reboot or a Docker restart the node containers are still there but may be stopped: kind runs them with
    /// <c>--restart=on-failure:1</c> (kind v0.32.0 pkg/cluster/internal/providers/docker/provision.go commonArgs), so the
    /// daemon brings a node back at most once and only after a non-zero exit. Starting them keeps everything on the cluster.
    /// </summary>
    private async Task StartStoppedNodesAsync(StepContext context)
    {
        var stopped = await StoppedNodesAsync(context).ConfigureAwait(false);
        if (stopped.Count == 0) return;
        var names = stopped.Select(n => n.Name).ToList();
        context.Logger.LogInformation("Cluster {Cluster}: node containers {Nodes} are stopped (after a reboot or a Docker restart); starting them",
            cluster.Name, string.Join(", ", stopped.Select(n => $"{n.Name} ({n.State})")));
        var failures = await lab.Docker.StartAsync(names, context.Logger, context.CancellationToken).ConfigureAwait(false);
        if (failures.Count > 0)
            throw new StepFailedException(
                $"node container{(failures.Count == 1 ? "" : "s")} of cluster {cluster.Name} could not be started: "
                + string.Join("; ", failures.Select(f => $"{f.Container}: {f.Reason}")),
                $"fix what Docker says (`docker start {string.Join(' ', failures.Select(f => f.Container))}` tries again), "
                + $"or use Recreate cluster on {cluster.Name} to delete it and create it again (everything on it is re-installed)");
        try
        {
            await WaitForNodesReadyAsync(context).ConfigureAwait(false);
        }
        catch (TransientStepException e)
        {
            throw new StepFailedException(
                $"the node containers of cluster {cluster.Name} ({string.Join(", ", names)}) were started, but {e.Message}",
                $"`docker logs {names.FirstOrDefault(n => n.EndsWith("-control-plane", StringComparison.Ordinal)) ?? names[0]}` shows why; use Recreate cluster on {cluster.Name} to delete it and create it again (everything on it is re-installed)");
        }
        context.Logger.LogInformation("Cluster {Cluster}: started {Nodes}; its API server answers and its nodes are Ready", cluster.Name, string.Join(", ", names));
    }

    private async Task<IReadOnlyList<NodeContainer>> StoppedNodesAsync(StepContext context) =>
        (await lab.Docker.KindNodesAsync(cluster.Name, context.Logger, context.CancellationToken).ConfigureAwait(false))
        .Where(n => !n.IsUp).ToList();

    /// <summary>The cluster exists and was not being created: it must be this lab's, with the same configuration.</summary>
    private async Task AdoptAsync(StepContext context)
    {
        if (!lab.Kubernetes.HasContext(cluster.KubeContext))
            await lab.Kind.ExportKubeconfigAsync(cluster.Name, context.Logger, context.CancellationToken).ConfigureAwait(false);
        var recorded = await Poll.UntilAsync(async token => new Box(await lab.State.ReadAsync(cluster.Name, Id, token).ConfigureAwait(false)),
            lab.Retry.PollInterval, lab.Retry.ReadyTimeout, $"the API server of {cluster.Name} did not answer", context.CancellationToken).ConfigureAwait(false);
        if (recorded.Value is null)
            throw new StepFailedException($"a kind cluster named {cluster.Name} exists, but this lab did not create it",
                $"delete it with `kind delete cluster --name {cluster.Name}`, or give the lab's cluster another name ({cluster.ConfigKey}:Name)");
        if (recorded.Value != Fingerprint)
            throw new ClusterConfigurationChangedException(cluster.Name, await DescribeChangeAsync(context).ConfigureAwait(false));
        context.Logger.LogInformation("Cluster {Cluster} exists with the configured settings", cluster.Name);
    }

    private async Task<string> DescribeChangeAsync(StepContext context)
    {
        var json = await lab.State.ReadAsync(cluster.Name, InputsKey, context.CancellationToken).ConfigureAwait(false);
        var before = json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        if (before is null) return "its recorded fingerprint differs";
        var changes = Inputs
            .Where(i => !before.TryGetValue(i.Key, out var old) || old != i.Value)
            .Select(i => $"{i.Key} {(before.TryGetValue(i.Key, out var old) ? old : "(none)")} -> {i.Value}")
            .ToList();
        return changes.Count == 0 ? "its recorded fingerprint differs" : string.Join("; ", changes);
    }

    private async Task<bool> ExistsAsync(StepContext context) =>
        (await lab.Kind.GetClustersAsync(context.Logger, context.CancellationToken).ConfigureAwait(false)).Contains(cluster.Name);

    private Task WaitForNodesReadyAsync(StepContext context) =>
        Poll.UntilAsync(async token =>
        {
            var nodes = await ClusterQueries.NodesAsync(lab.Kubernetes.For(cluster.KubeContext), token).ConfigureAwait(false);
            return nodes.Count > 0 && nodes.All(n => n.Ready) ? nodes : null;
        }, lab.Retry.PollInterval, lab.Retry.ReadyTimeout, $"the nodes of {cluster.Name} were not Ready", context.CancellationToken);

    private sealed record Box(string? Value);
}
