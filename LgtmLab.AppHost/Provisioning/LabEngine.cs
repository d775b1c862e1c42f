using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LgtmLab.AppHost.Configuration;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>
/// Runs a <see cref="StepGraph"/>: every step starts as soon as its dependencies have succeeded (so independent
/// clusters provision at once), skips Apply when Check and the recorded fingerprint say it is done, retries
/// transient failures with back-off and jitter, and blocks only the dependents of a step that fails.
/// </summary>
public sealed class LabEngine(ILabStateStore state, RetryOptions retry)
{
    public Task<EngineRun> RunAsync(StepGraph graph, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken) =>
        RunAsync(graph, scope: null, previous: null, progress, loggerFor, cancellationToken);

    /// <summary>
    /// Runs the steps in <paramref name="scope"/> (all when null). A dependency outside the scope counts as its
    /// <paramref name="previous"/> outcome; one without a previous outcome is run too.
    /// </summary>
    public async Task<EngineRun> RunAsync(StepGraph graph, IReadOnlySet<string>? scope, IReadOnlyDictionary<string, StepOutcome>? previous,
        IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var toRun = EffectiveScope(graph, scope, previous);
        var tasks = new ConcurrentDictionary<string, Task<StepOutcome>>(StringComparer.Ordinal);
        var started = new TaskCompletionSource();

        Task<StepOutcome> OutcomeOf(string id) => toRun.Contains(id)
            ? tasks[id]
            : Task.FromResult(previous![id]);

        foreach (var step in graph.Steps.Where(s => toRun.Contains(s.Id)))
        {
            var pending = step.DependsOn.Where(d => !(OutcomeOf(d) is { IsCompleted: true } t && t.Result.Status == StepStatus.Succeeded)).ToList();
            if (pending.Count > 0)
                progress.Report(new(step.Id, step.ResourceName, StepStatus.Waiting, "Waiting on " + string.Join(", ", pending.Select(d => graph[d].ResourceName).Distinct())));
            tasks[step.Id] = RunWhenReadyAsync(step);
        }

        async Task<StepOutcome> RunWhenReadyAsync(Step step)
        {
            await started.Task.ConfigureAwait(false);
            var dependencies = await Task.WhenAll(step.DependsOn.Select(OutcomeOf)).ConfigureAwait(false);
            var blocker = dependencies.FirstOrDefault(d => d.Status != StepStatus.Succeeded);
            if (blocker is not null)
            {
                var root = blocker.Status == StepStatus.Failed ? blocker.StepId : blocker.BlockedBy ?? blocker.StepId;
                var message = $"Waiting on {graph[root].ResourceName}: {root} failed; use Retry on {graph[root].ResourceName} once it is fixed";
                progress.Report(new(step.Id, step.ResourceName, StepStatus.Blocked, message));
                return new StepOutcome(step.Id, step.ResourceName, StepStatus.Blocked, message, false, 0, TimeSpan.Zero, root);
            }
            // On the thread pool: this continuation runs inline on the thread that finished the last dependency, so
            // every dependent would start there one after the other, each once the one before reached its first await.
            return await Task.Run(() => RunStepAsync(step, progress, loggerFor(step.ResourceName), cancellationToken), CancellationToken.None).ConfigureAwait(false);
        }

        started.SetResult();
        try
        {
            await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            foreach (var step in graph.Steps.Where(s => tasks.TryGetValue(s.Id, out var t) && !t.IsCompletedSuccessfully))
                progress.Report(new(step.Id, step.ResourceName, StepStatus.Waiting, "Interrupted; the next run completes it"));
            throw;
        }
        return new EngineRun(tasks.ToDictionary(t => t.Key, t => t.Value.Result, StringComparer.Ordinal), clock.Elapsed);
    }

    private static HashSet<string> EffectiveScope(StepGraph graph, IReadOnlySet<string>? scope, IReadOnlyDictionary<string, StepOutcome>? previous)
    {
        if (scope is null) return graph.Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var result = new HashSet<string>(scope, StringComparer.Ordinal);
        var pending = new Stack<string>(scope);
        while (pending.TryPop(out var id))
            foreach (var dependency in graph[id].DependsOn)
                if (previous is null || !previous.ContainsKey(dependency))
                    if (result.Add(dependency)) pending.Push(dependency);
        return result;
    }

    private async Task<StepOutcome> RunStepAsync(Step step, IProgress<StepProgress> progress, ILogger logger, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        var applied = false;
        StepWarnings? warnings = null;
        void Report(string message) => progress.Report(new(step.Id, step.ResourceName, StepStatus.Running, message));

        var pipeline = BuildPipeline(step, logger, Report);
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                var context = new StepContext(logger, token);
                warnings = context.Warnings;
                Report(attempts == 1 ? "Checking" : $"Checking (attempt {attempts} of {retry.MaxAttempts})");
                logger.LogInformation("{Step}: checking", step.Id);
                if (await step.CheckAsync(context).ConfigureAwait(false) && await IsRecordedAsync(step, logger, token).ConfigureAwait(false))
                {
                    applied = false;
                    return;
                }
                Report("Applying");
                logger.LogInformation("{Step}: applying", step.Id);
                await step.ApplyAsync(context).ConfigureAwait(false);
                Report("Verifying");
                logger.LogInformation("{Step}: verifying", step.Id);
                await step.VerifyAsync(context).ConfigureAwait(false);
                if (step.StateCluster is { } cluster)
                    await state.WriteAsync(cluster, step.Id, step.Fingerprint, token).ConfigureAwait(false);
                applied = true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var message = StepFailures.Describe(step, e);
            logger.LogError("{Step} failed: {Message}", step.Id, message);
            progress.Report(new(step.Id, step.ResourceName, StepStatus.Failed, message));
            return new StepOutcome(step.Id, step.ResourceName, StepStatus.Failed, message, applied, attempts, clock.Elapsed);
        }

        var done = applied ? string.Create(CultureInfo.InvariantCulture, $"Applied in {clock.Elapsed.TotalSeconds:F1} s") : "Up to date";
        // Only the last attempt's warnings: an earlier attempt's may be what the retry fixed.
        var warning = warnings?.Summary;
        if (warning is null)
            logger.LogInformation("{Step}: {Result}", step.Id, done);
        else
            logger.LogWarning("{Step}: {Result}, with a warning: {Warning}", step.Id, done, warning);
        progress.Report(new(step.Id, step.ResourceName, StepStatus.Succeeded, done, warning));
        return new StepOutcome(step.Id, step.ResourceName, StepStatus.Succeeded, done, applied, attempts, clock.Elapsed, Warning: warning);
    }

    private async Task<bool> IsRecordedAsync(Step step, ILogger logger, CancellationToken cancellationToken)
    {
        if (step.StateCluster is not { } cluster) return true;
        var recorded = await state.ReadAsync(cluster, step.Id, cancellationToken).ConfigureAwait(false);
        if (recorded == step.Fingerprint) return true;
        logger.LogInformation("{Step}: inputs changed (recorded {Recorded}, now {Fingerprint})", step.Id, recorded ?? "nothing", step.Fingerprint);
        return false;
    }

    private ResiliencePipeline BuildPipeline(Step step, ILogger logger, Action<string> report)
    {
        var builder = new ResiliencePipelineBuilder();
        if (retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(StepFailures.IsTransient),
                MaxRetryAttempts = retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception?.Message ?? "unknown";
                    logger.LogWarning("{Step}: attempt {Attempt} of {Max} failed ({Reason}); retrying in {Delay:F1} s",
                        step.Id, args.AttemptNumber + 1, retry.MaxAttempts, reason, args.RetryDelay.TotalSeconds);
                    report(string.Create(CultureInfo.InvariantCulture, $"Retrying in {args.RetryDelay.TotalSeconds:F1} s after: {reason}"));
                    return default;
                },
            });
        }
        return builder.AddTimeout(step.Timeout).Build();
    }
}
