using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Diagnostics;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Steps;
using LgtmLab.AppHost.Tools;
using LgtmLab.AppHost.Tools.Installation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>
/// The provisioning engine behind the dashboard: preflight, then the lab's step graph; retry, delete and
/// recreate. One operation runs at a time (a second call waits; cancel the first through its token), through the
/// <see cref="Gate"/> the dashboard's commands share; every step's progress and outcome go into <see cref="Outcomes"/>.
/// Progress is reported synchronously from the engine's threads, in order: pass an <see cref="IProgress{T}"/>
/// that handles it directly rather than <see cref="Progress{T}"/>, which may reorder.
/// </summary>
internal sealed class LabController : ILabController, IDisposable
{
    private readonly LabServices _lab;
    private readonly LabEngine _engine;
    private readonly Preflight _preflight;
    private readonly PinnedToolInstaller? _ownedLocator;
    private readonly LogRing _log = new();
    private bool _preflightPassed;

    public LabController(LabTopology topology, LabControllerOptions? options = null)
    {
        options ??= new LabControllerOptions();
        Topology = topology;
        var assets = options.Assets ?? LabAssets.Locate(topology.Options);
        var versions = assets.LoadVersions();
        var environment = new Dictionary<string, string?>(options.Environment) { ["KUBECONFIG"] = topology.Kubeconfig };
        if (options.SearchPath is not null) environment["PATH"] = options.SearchPath;
        if (options.ToolLocator is null)
            _ownedLocator = new PinnedToolInstaller(versions, new PinnedToolInstallerOptions { SearchPath = options.SearchPath });
        Tools = new ToolRunner(options.ToolLocator ?? _ownedLocator!, environment, options.SearchPath);
        var kubernetes = new KubernetesClients(topology.Kubeconfig);
        _lab = new LabServices(topology, versions, assets, Tools, kubernetes, new ConfigMapStateStore(kubernetes, topology.Name))
        {
            GrafanaAdminPassword = options.GrafanaAdminPassword,
        };
        _engine = new LabEngine(_lab.State, topology.Retry);
        _preflight = new Preflight(_lab, options.Preflight);
        Plan = LabPlan.Build(_lab, options.Contributions);
        Outcomes = new StepOutcomeStore(Plan.Graph.Steps.Select(s => KeyValuePair.Create(s.Id, s.ResourceName)));
    }

    /// <summary>Reads and validates the <c>Lab</c> section; throws <see cref="LabConfigurationException"/> before anything runs.</summary>
    public static LabController FromConfiguration(IConfiguration configuration, LabControllerOptions? options = null) =>
        new(LabConfiguration.Load(configuration), options);

    public LabTopology Topology { get; }
    public LabPlan Plan { get; }
    public IReadOnlyList<LabResource> Resources => Plan.Resources;

    /// <summary>Every external command run so far (redacted), with exit code, duration and whether it mutates.</summary>
    public ToolRunner Tools { get; }

    /// <summary>The latest outcome of every step that has run (its progress while a run is under way).</summary>
    public StepOutcomeStore Outcomes { get; }

    public LabOperationGate Gate { get; } = new();

    /// <summary>The last engine run (null before the first, or when preflight stopped it).</summary>
    public EngineRun? LastRun { get; private set; }

    public async Task RunAsync(IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        loggerFor = _log.Wrap(loggerFor);
        await Gate.RunAsync("Run", WhenBusy.Wait, cancellationToken, async token =>
        {
            if (!await PreflightAsync(progress, loggerFor, token).ConfigureAwait(false)) return;
            Remember(await _engine.RunAsync(Plan.Graph, Outcomes.Recording(progress), loggerFor, token).ConfigureAwait(false));
        }).ConfigureAwait(false);
    }

    public async Task RetryAsync(string resourceName, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        var steps = Plan.Graph.Steps.Where(s => s.ResourceName == resourceName).ToList();
        if (steps.Count == 0)
            throw new ArgumentException($"'{resourceName}' is not a resource of lab '{Topology.Name}'", nameof(resourceName));
        loggerFor = _log.Wrap(loggerFor);
        await Gate.RunAsync($"Retry {resourceName}", WhenBusy.Wait, cancellationToken, async token =>
        {
            if (!_preflightPassed)
            {
                // every step failed or waited on preflight: once it passes, the whole lab runs
                if (await PreflightAsync(progress, loggerFor, token).ConfigureAwait(false))
                    Remember(await _engine.RunAsync(Plan.Graph, Outcomes.Recording(progress), loggerFor, token).ConfigureAwait(false));
                return;
            }
            var unfinished = steps.Where(s => !Outcomes.TryGetValue(s.Id, out var o) || o.Status != StepStatus.Succeeded).ToList();
            var scope = Plan.Graph.Downstream((unfinished.Count > 0 ? unfinished : steps).Select(s => s.Id));
            Remember(await _engine.RunAsync(Plan.Graph, scope, Outcomes.Finished(), Outcomes.Recording(progress), loggerFor, token).ConfigureAwait(false));
        }).ConfigureAwait(false);
    }

    public async Task RunStepsAsync(IEnumerable<string> stepIds, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        var ids = stepIds.ToList();
        if (ids.FirstOrDefault(id => !Plan.Graph.Contains(id)) is { } unknown)
            throw new ArgumentException($"'{unknown}' is not a step of lab '{Topology.Name}'", nameof(stepIds));
        await Gate.RunAsync($"Run steps {string.Join(", ", ids)}", WhenBusy.Wait, cancellationToken, async token =>
        {
            if (!_preflightPassed && !await PreflightAsync(progress, loggerFor, token).ConfigureAwait(false)) return;
            var previous = Outcomes.Finished();
            var scope = new HashSet<string>(ids, StringComparer.Ordinal);
            var pending = new Stack<string>(ids);
            while (pending.TryPop(out var id))
                foreach (var dependency in Plan.Graph[id].DependsOn)
                    if ((!previous.TryGetValue(dependency, out var outcome) || outcome.Status != StepStatus.Succeeded) && scope.Add(dependency))
                        pending.Push(dependency);
            Remember(await _engine.RunAsync(Plan.Graph, scope, previous, Outcomes.Recording(progress), loggerFor, token).ConfigureAwait(false));
        }).ConfigureAwait(false);
    }

    public async Task DeleteClusterAsync(string clusterName, ILogger logger, CancellationToken cancellationToken)
    {
        if (Topology.Clusters.All(c => c.Name != clusterName) && !RecordedClusters().Contains(clusterName))
            throw new ArgumentException($"'{clusterName}' is not a cluster of lab '{Topology.Name}'", nameof(clusterName));
        logger = _log.Wrap(clusterName, logger);
        await Gate.RunAsync($"Delete cluster {clusterName}", WhenBusy.Wait, cancellationToken,
            token => DeleteClusterCoreAsync(clusterName, logger, token)).ConfigureAwait(false);
    }

    public async Task RecreateClusterAsync(string clusterName, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        var cluster = Topology.Cluster(clusterName);
        loggerFor = _log.Wrap(loggerFor);
        await Gate.RunAsync($"Recreate cluster {cluster.Name}", WhenBusy.Wait, cancellationToken, async token =>
        {
            if (!await PreflightAsync(progress, loggerFor, token).ConfigureAwait(false)) return;
            await DeleteClusterCoreAsync(cluster.Name, loggerFor(cluster.Name), token).ConfigureAwait(false);
            var scope = Plan.Graph.Downstream(Plan.Graph.Steps.Where(s => BelongsTo(s, cluster.Name)).Select(s => s.Id));
            Remember(await _engine.RunAsync(Plan.Graph, scope, Outcomes.Finished(), Outcomes.Recording(progress), loggerFor, token).ConfigureAwait(false));
        }).ConfigureAwait(false);
    }

    public async Task DeleteLabAsync(ILogger logger, CancellationToken cancellationToken)
    {
        logger = _log.Wrap(Topology.Name, logger);
        await Gate.RunAsync("Delete lab", WhenBusy.Wait, cancellationToken, async token =>
        {
            var clusters = Topology.Clusters.Select(c => c.Name).Union(RecordedClusters()).ToList();
            await Task.WhenAll(clusters.Select(c => DeleteClusterCoreAsync(c, logger, token))).ConfigureAwait(false);
            DeleteStateKeepingDiagnostics(logger);
            _preflightPassed = false;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a diagnostics bundle (kind logs, pods, events, Helm releases, the recorded state, Linkerd's multicluster
    /// checks, the commands run and the lab's log lines; secrets redacted) to <c>&lt;state&gt;/diagnostics/&lt;UTC time&gt;/</c>
    /// and a zip next to it; returns the folder and logs both paths. Read-only, and it does not wait for a running
    /// operation: a lab that hangs can be looked at. A cluster that is down is recorded as such in summary.txt.
    /// </summary>
    public Task<string> CollectDiagnosticsAsync(ILogger logger, CancellationToken cancellationToken)
    {
        logger = _log.Wrap(Topology.Name, logger);
        var clusters = Topology.Clusters.Select(c => c.Name).Union(RecordedClusters()).ToList();
        return new DiagnosticsBundle(_lab, clusters, Outcomes.ToDictionary(), _log).CollectAsync(logger, cancellationToken);
    }

    public void Dispose()
    {
        _lab.Kubernetes.Dispose();
        _ownedLocator?.Dispose();
        Gate.Dispose();
    }

    private async Task<bool> PreflightAsync(IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        var logger = loggerFor(Topology.Central.Name);
        logger.LogInformation("Preflight: Docker, memory, kernel limits, tools, host ports");
        var result = await _preflight.RunAsync(logger, cancellationToken).ConfigureAwait(false);
        _preflightPassed = result.Passed;
        if (result.Passed) return true;

        var message = "Preflight failed, nothing was changed: " + string.Join(" | ", result.Problems);
        foreach (var cluster in Topology.Clusters)
            foreach (var problem in result.Problems) loggerFor(cluster.Name).LogError("Preflight: {Problem}", problem);
        foreach (var step in Plan.Graph.Steps)
        {
            var outcome = step is KindClusterStep
                ? new StepOutcome(step.Id, step.ResourceName, StepStatus.Failed, message, false, 0, TimeSpan.Zero)
                : new StepOutcome(step.Id, step.ResourceName, StepStatus.Blocked, $"Waiting on {ClusterOf(step)}: preflight failed", false, 0, TimeSpan.Zero,
                    StepIds.Cluster(ClusterOf(step)));
            Outcomes.Record(outcome);
            progress.Report(new StepProgress(step.Id, step.ResourceName, outcome.Status, outcome.Message));
        }
        return false;
    }

    /// <summary>Deletes the state folder (certificates, keys, rendered files, recorded state) but not the diagnostics
    /// bundles: they are redacted, and a user who collected one before deleting the lab still needs it.</summary>
    private void DeleteStateKeepingDiagnostics(ILogger logger)
    {
        var state = Topology.StateDirectory;
        if (!Directory.Exists(state)) return;
        var bundles = Path.Combine(state, DiagnosticsBundle.FolderName);
        foreach (var entry in Directory.EnumerateFileSystemEntries(state))
        {
            if (string.Equals(entry, bundles, StringComparison.Ordinal)) continue;
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
        if (Directory.Exists(bundles))
            logger.LogInformation("Deleted the lab's state folder {Directory}, except its diagnostics bundles in {Bundles}", state, bundles);
        else
        {
            Directory.Delete(state);
            logger.LogInformation("Deleted the lab's state folder {Directory}", state);
        }
    }

    private async Task DeleteClusterCoreAsync(string cluster, ILogger logger, CancellationToken cancellationToken)
    {
        logger.LogInformation("Deleting cluster {Cluster}", cluster);
        await _lab.Kind.DeleteClusterAsync(cluster, logger, cancellationToken).ConfigureAwait(false);
        var context = ConfigMapStateStore.ContextOf(cluster);
        if (_lab.Kubernetes.HasContext(context))
            await _lab.Kubectl.DeleteContextAsync(context, logger, cancellationToken).ConfigureAwait(false);
        var directory = _lab.ClusterDirectory(cluster);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Outcomes.MarkDeleted(Plan.Graph.Steps.Where(s => BelongsTo(s, cluster)).Select(s => s.Id));
    }

    private IReadOnlyList<string> RecordedClusters()
    {
        var directory = Path.Combine(Topology.StateDirectory, "clusters");
        return Directory.Exists(directory) ? Directory.GetDirectories(directory).Select(Path.GetFileName).OfType<string>().ToList() : [];
    }

    private static bool BelongsTo(Step step, string cluster) => step.Id.StartsWith(cluster + "/", StringComparison.Ordinal);

    private static string ClusterOf(Step step) => step.Id.Split('/')[0];

    private void Remember(EngineRun run)
    {
        LastRun = run;
        Outcomes.Record(run);
    }
}
