using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// When a run or Retry fails a cluster because its configuration changed, asks in the dashboard whether to recreate
/// it now, saying what changed and what is lost, and recreates it on yes (as the Recreate cluster command does).
/// One question per cluster at a time. Without a dashboard to ask in, the failure and its hint stand as they are.
/// </summary>
internal sealed class DriftPrompt(
    LabModel lab,
    IInteractionService? interactions,
    ResourceLoggerService resourceLogs,
    ILogger hostLogger,
    Func<KindClusterResource, CancellationToken, Task<ExecuteCommandResult>> recreate,
    CancellationToken stopping) : IProgress<StepProgress>
{
    public const string RecreateButton = "Recreate now";
    public const string KeepButton = "Not now";

    /// <summary>What Loki, Mimir and Tempo keep; lost with the cluster they run on.</summary>
    private static readonly (string Component, string Data)[] DataStores = [("loki", "logs (Loki)"), ("mimir", "metrics (Mimir)"), ("tempo", "traces (Tempo)")];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ClusterConfigurationChangedException> _drifted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _asking = new(StringComparer.Ordinal);

    /// <summary>Sees every step's progress; remembers the clusters that failed because their configuration changed.</summary>
    public void Report(StepProgress value)
    {
        if (value is { Status: StepStatus.Failed, Cause: ClusterConfigurationChangedException drift })
            lock (_lock)
                _drifted[drift.Cluster] = drift;
    }

    /// <summary>Called when a run or Retry has ended: asks about each cluster it saw drift, unless a question about
    /// that cluster is still open. Does not wait for the answers.</summary>
    public void AskAboutDriftedClusters()
    {
        List<ClusterConfigurationChangedException> toAsk;
        lock (_lock)
        {
            toAsk = [.. _drifted.Values.Where(d => _asking.Add(d.Cluster))];
            _drifted.Clear();
        }
        foreach (var drift in toAsk)
        {
            // A dashboard-less run (tests, publish) has no one to ask; the failure's hint names the Recreate command.
            if (interactions is not { IsAvailable: true } || lab.Clusters.FirstOrDefault(c => c.Name == drift.Cluster) is not { } cluster)
            {
                lock (_lock)
                    _asking.Remove(drift.Cluster);
                continue;
            }
            _ = AskAsync(interactions, cluster, drift);
        }
    }

    private async Task AskAsync(IInteractionService dashboard, KindClusterResource cluster, ClusterConfigurationChangedException drift)
    {
        var logger = resourceLogs.GetLogger(cluster);
        try
        {
            var (title, message) = Describe(cluster, drift);
            logger.LogInformation("Asking in the dashboard whether to recreate cluster {Cluster} now", cluster.Name);
            var answer = await dashboard.PromptConfirmationAsync(title, message, new MessageBoxInteractionOptions
            {
                Intent = MessageIntent.Warning,
                PrimaryButtonText = RecreateButton,
                SecondaryButtonText = KeepButton,
                ShowSecondaryButton = true,
                ShowDismiss = true,
            }, stopping).ConfigureAwait(false);
            if (answer.Canceled || !answer.Data)
            {
                logger.LogWarning("Cluster {Cluster} is not recreated (not confirmed); it stays Failed: Recreate cluster on it applies the new configuration, or restore the previous one and use Retry", cluster.Name);
                return;
            }
            if (lab.StatusOf(cluster.Name).Phase != LabResourcePhase.Failed)
            {
                logger.LogInformation("Cluster {Cluster} is no longer failed; not recreating it", cluster.Name);
                return;
            }
            logger.LogInformation("Recreating cluster {Cluster}: confirmed in the dashboard", cluster.Name);
            var result = await recreate(cluster, stopping).ConfigureAwait(false);
            if (result.Success)
                logger.LogInformation("{Result}", result.Message);
            else
                logger.LogError("{Result}", result.Message);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost is stopping; the question closes with it.
        }
        catch (Exception ex)
        {
            hostLogger.LogError(ex, "Asking whether to recreate cluster {Cluster} failed; use Recreate cluster on it", cluster.Name);
        }
        finally
        {
            lock (_lock)
                _asking.Remove(cluster.Name);
        }
    }

    /// <summary>The question: which cluster, what changed, what recreating it loses.</summary>
    private (string Title, string Message) Describe(KindClusterResource cluster, ClusterConfigurationChangedException drift)
    {
        var components = lab.ClusterAndComponents(cluster.Name).OfType<LabComponentResource>().ToList();
        var installed = components.Count == 0
            ? "Recreating it now deletes it; nothing else of the lab is installed on it."
            : $"Recreating it now deletes it with everything installed on it: {string.Join(", ", components.Select(c => $"{c.Name} ({c.Kind})"))}. "
              + "The lab then installs them again, which takes a few minutes.";
        var data = DataStores
            .Where(s => components.Any(c => c.Name == StepIds.Resource(cluster.Name, s.Component)))
            .Select(s => s.Data)
            .ToList();
        var lost = data.Count == 0
            ? ""
            : $" The {string.Join(", ", data)} stored on {cluster.Name} are lost.";
        return (
            $"Recreate cluster {cluster.Name}?",
            $"The configuration of kind cluster {cluster.Name} changed ({drift.Change}); only deleting and creating it again applies it. "
            + installed + lost
            + $" {KeepButton} leaves it Failed: Recreate cluster on {cluster.Name} does this later, or restore the previous configuration and use Retry.");
    }
}
