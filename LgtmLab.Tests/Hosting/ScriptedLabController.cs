using System.Collections.Concurrent;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.Hosting;

/// <summary>
/// A stand-in for the provisioning engine with a small step graph of two clusters. It reports progress the way
/// the engine does (Waiting, Running, Succeeded/Failed, Blocked with "Waiting on X"), writes tool-like output to
/// the resource loggers, and can fail a step a given number of times, hold a step until released, or crash. Like
/// the real controller, it records every step in its <see cref="Outcomes"/> and runs each verb through its
/// <see cref="Gate"/>; it records a step that runs while a step of another verb call runs in <see cref="Overlaps"/>.
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
    private readonly ConcurrentDictionary<string, bool> _running = new();
    private int _callNumber;

    public ScriptedLabController(IReadOnlyList<LabResource>? resources = null, IReadOnlyList<ScriptedStep>? steps = null)
    {
        Resources = resources ?? DefaultResources;
        _steps = steps ?? DefaultSteps;
        Outcomes = new StepOutcomeStore(_steps.Select(s => KeyValuePair.Create(s.Id, s.ResourceName)));
    }

    public IReadOnlyList<LabResource> Resources { get; }

    public StepOutcomeStore Outcomes { get; }

    public LabOperationGate Gate { get; } = new();

    /// <summary>Each step that ran while a step of another verb call was running, e.g.
    /// "lgtm-central/cluster (2 RecreateCluster lgtm-central) while lgtm-remote/cluster (1 RunSteps lgtm-remote/cluster)".</summary>
    public ConcurrentQueue<string> Overlaps { get; } = new();

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

    public Task RunAsync(IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken) =>
        VerbAsync("Run", cancellationToken, (call, token) => ExecuteAsync(call, _steps, progress, loggerFor, token));

    public Task RetryAsync(string resourceName, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken) =>
        VerbAsync($"Retry {resourceName}", cancellationToken, (call, token) =>
        {
            var seeds = _steps.Where(s => s.ResourceName == resourceName && _status.GetValueOrDefault(s.Id) is StepStatus.Failed or StepStatus.Blocked);
            return ExecuteAsync(call, WithDownstream(seeds), progress, loggerFor, token);
        });

    public Task RunStepsAsync(IEnumerable<string> stepIds, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        var ids = stepIds.ToHashSet();
        return VerbAsync($"RunSteps {string.Join(",", ids)}", cancellationToken,
            (call, token) => ExecuteAsync(call, _steps.Where(s => ids.Contains(s.Id)).ToList(), progress, loggerFor, token));
    }

    public Task DeleteClusterAsync(string clusterName, ILogger logger, CancellationToken cancellationToken) =>
        VerbAsync($"DeleteCluster {clusterName}", cancellationToken, (_, _) =>
        {
            logger.LogInformation("Deleting cluster \"{Cluster}\" ...", clusterName);
            foreach (var step in StepsOfCluster(clusterName))
                _status.TryRemove(step.Id, out _);
            Outcomes.MarkDeleted(StepsOfCluster(clusterName).Select(s => s.Id));
            return Task.CompletedTask;
        });

    public Task RecreateClusterAsync(string clusterName, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken) =>
        VerbAsync($"RecreateCluster {clusterName}", cancellationToken,
            (call, token) => ExecuteAsync(call, WithDownstream(StepsOfCluster(clusterName)), progress, loggerFor, token));

    public Task DeleteLabAsync(ILogger logger, CancellationToken cancellationToken) =>
        VerbAsync("DeleteLab", cancellationToken, (_, _) =>
        {
            _status.Clear();
            Outcomes.MarkDeleted(_steps.Select(s => s.Id));
            return Task.CompletedTask;
        });

    /// <summary>Records the call once it has its turn at the gate, then runs it; the call is numbered for <see cref="Overlaps"/>.</summary>
    private Task VerbAsync(string call, CancellationToken cancellationToken, Func<string, CancellationToken, Task> body) =>
        Gate.RunAsync(call, WhenBusy.Wait, cancellationToken, token =>
        {
            Calls.Enqueue(call);
            return body($"{Interlocked.Increment(ref _callNumber)} {call}", token);
        });

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

    private async Task ExecuteAsync(string call, IReadOnlyCollection<ScriptedStep> steps, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        progress = Outcomes.Recording(progress);
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
            var running = $"{step.Id} ({call})";
            foreach (var other in _running.Keys)
                Overlaps.Enqueue($"{running} while {other}");
            _running[running] = true;
            try
            {
                Started.GetOrAdd(step.Id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                if (Holds.TryGetValue(step.Id, out var hold))
                    await hold.Task.WaitAsync(cancellationToken);
                await Task.Delay(20, cancellationToken);
            }
            finally
            {
                _running.TryRemove(running, out _);
            }

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
