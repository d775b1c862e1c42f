using System.Collections.Concurrent;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.Hosting;

/// <summary>
/// A stand-in for the provisioning engine with a small step graph of two clusters. It reports progress the way
/// the engine does (Waiting, Running, Succeeded/Failed, Blocked with "Waiting on X"), writes tool-like output to
/// the resource loggers, and can fail a step a given number of times, hold a step until released, or crash.
/// </summary>
internal sealed class ScriptedLabController : ILabController
{
    public sealed record ScriptedStep(string Id, string ResourceName, params string[] DependsOn);

    public static IReadOnlyList<LabResource> DefaultResources { get; } =
    [
        new("lgtm-central", null, "KindCluster", new Dictionary<string, string> { ["Node image"] = "kindest/node:v1.36.1", ["Pod subnet"] = "10.10.0.0/16" }),
        new("lgtm-remote", null, "KindCluster", new Dictionary<string, string> { ["Node image"] = "kindest/node:v1.36.1", ["Pod subnet"] = "10.20.0.0/16" }),
        new("lgtm-central-metallb", "lgtm-central", "HelmRelease", new Dictionary<string, string> { ["Chart"] = "metallb/metallb", ["Version"] = "0.15.2", ["Namespace"] = "metallb-system" }),
        new("lgtm-central-grafana", "lgtm-central", "HelmRelease", new Dictionary<string, string> { ["Chart"] = "grafana-community/grafana", ["Namespace"] = "observability", ["Grafana"] = "http://127.0.0.1:3000/" }),
        new("lgtm-remote-link", "lgtm-remote", "Link", new Dictionary<string, string> { ["Target"] = "lgtm-central" }),
    ];

    public static IReadOnlyList<ScriptedStep> DefaultSteps { get; } =
    [
        new("lgtm-central/cluster", "lgtm-central"),
        new("lgtm-remote/cluster", "lgtm-remote"),
        new("lgtm-central/metallb", "lgtm-central-metallb", "lgtm-central/cluster"),
        new("lgtm-central/grafana", "lgtm-central-grafana", "lgtm-central/metallb"),
        new("lgtm-remote/link", "lgtm-remote-link", "lgtm-remote/cluster", "lgtm-central/metallb"),
    ];

    private readonly IReadOnlyList<ScriptedStep> _steps;
    private readonly ConcurrentDictionary<string, StepStatus> _status = new();

    public ScriptedLabController(IReadOnlyList<LabResource>? resources = null, IReadOnlyList<ScriptedStep>? steps = null)
    {
        Resources = resources ?? DefaultResources;
        _steps = steps ?? DefaultSteps;
    }

    public IReadOnlyList<LabResource> Resources { get; }

    /// <summary>Every verb called, in order, e.g. "Run", "Retry lgtm-central-metallb", "DeleteCluster lgtm-remote".</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>How many more times a step fails before it succeeds.</summary>
    public ConcurrentDictionary<string, int> FailuresLeft { get; } = new();

    /// <summary>Steps that stay Running until their source is completed.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Holds { get; } = new();

    /// <summary>When set, RunAsync throws this after the first step.</summary>
    public Exception? Crash { get; set; }

    /// <summary>Completes when a held step has started running.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Started { get; } = new();

    public Task RunAsync(IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        Calls.Enqueue("Run");
        return ExecuteAsync(_steps, progress, loggerFor, cancellationToken);
    }

    public Task RetryAsync(string resourceName, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"Retry {resourceName}");
        var seeds = _steps.Where(s => s.ResourceName == resourceName && _status.GetValueOrDefault(s.Id) is StepStatus.Failed or StepStatus.Blocked);
        return ExecuteAsync(WithDownstream(seeds), progress, loggerFor, cancellationToken);
    }

    public Task RunStepsAsync(IEnumerable<string> stepIds, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        var ids = stepIds.ToHashSet();
        Calls.Enqueue($"RunSteps {string.Join(",", ids)}");
        return ExecuteAsync(_steps.Where(s => ids.Contains(s.Id)).ToList(), progress, loggerFor, cancellationToken);
    }

    public Task DeleteClusterAsync(string clusterName, ILogger logger, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"DeleteCluster {clusterName}");
        logger.LogInformation("Deleting cluster \"{Cluster}\" ...", clusterName);
        foreach (var step in StepsOfCluster(clusterName))
            _status.TryRemove(step.Id, out _);
        return Task.CompletedTask;
    }

    public Task RecreateClusterAsync(string clusterName, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"RecreateCluster {clusterName}");
        return ExecuteAsync(WithDownstream(StepsOfCluster(clusterName)), progress, loggerFor, cancellationToken);
    }

    public Task DeleteLabAsync(ILogger logger, CancellationToken cancellationToken)
    {
        Calls.Enqueue("DeleteLab");
        _status.Clear();
        return Task.CompletedTask;
    }

    private IEnumerable<ScriptedStep> StepsOfCluster(string clusterName)
    {
        var names = Resources.Where(r => r.Name == clusterName || r.Parent == clusterName).Select(r => r.Name).ToHashSet();
        return _steps.Where(s => names.Contains(s.ResourceName));
    }

    private List<ScriptedStep> WithDownstream(IEnumerable<ScriptedStep> seeds)
    {
        var ids = seeds.Select(s => s.Id).ToHashSet();
        foreach (var step in _steps)
            if (step.DependsOn.Any(ids.Contains))
                ids.Add(step.Id);
        return _steps.Where(s => ids.Contains(s.Id)).ToList();
    }

    private async Task ExecuteAsync(IReadOnlyCollection<ScriptedStep> steps, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            _status[step.Id] = StepStatus.Waiting;
            progress.Report(new(step.Id, step.ResourceName, StepStatus.Waiting, DependencyMessage(step)));
        }

        var done = 0;
        foreach (var step in steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Crash is not null && done++ == 1)
                throw Crash;

            var unmet = step.DependsOn.FirstOrDefault(d => _status.GetValueOrDefault(d) != StepStatus.Succeeded);
            if (unmet is not null)
            {
                _status[step.Id] = StepStatus.Blocked;
                progress.Report(new(step.Id, step.ResourceName, StepStatus.Blocked, $"Waiting on {ResourceOf(unmet)} ({unmet} did not succeed)"));
                continue;
            }

            _status[step.Id] = StepStatus.Running;
            progress.Report(new(step.Id, step.ResourceName, StepStatus.Running));
            var logger = loggerFor(step.ResourceName);
            logger.LogInformation("$ tool apply {Step}", step.Id);
            logger.LogInformation("{Step}: applying, line 1 of tool output", step.Id);
            Started.GetOrAdd(step.Id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            if (Holds.TryGetValue(step.Id, out var hold))
                await hold.Task.WaitAsync(cancellationToken);
            await Task.Delay(20, cancellationToken);

            if (FailuresLeft.TryGetValue(step.Id, out var left) && left > 0)
            {
                FailuresLeft[step.Id] = left - 1;
                logger.LogError("Error: INSTALLATION FAILED: context deadline exceeded");
                _status[step.Id] = StepStatus.Failed;
                progress.Report(new(step.Id, step.ResourceName, StepStatus.Failed, "helm upgrade exited with 1: INSTALLATION FAILED: context deadline exceeded. Check the chart's pods, then Retry."));
                continue;
            }
            logger.LogInformation("{Step}: done", step.Id);
            _status[step.Id] = StepStatus.Succeeded;
            progress.Report(new(step.Id, step.ResourceName, StepStatus.Succeeded));
        }
    }

    private string? DependencyMessage(ScriptedStep step) =>
        step.DependsOn.Length == 0 ? null : $"Waiting on {string.Join(", ", step.DependsOn.Select(ResourceOf).Distinct())}";

    private string ResourceOf(string stepId) => _steps.First(s => s.Id == stepId).ResourceName;
}
