using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LgtmLab.AppHost.Configuration;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>
/// Runs a <see cref="StepGraph"/>: every step starts as soon as its dependencies have succeeded (so independent
/// clusters provision at once), skips Apply when Check and the recorded fingerprint say it is done, retries
/// transient failures with back-off and jitter, and blocks only the dependents of a step that fails.
/// </summary>
internal sealed class LabEngine(ILabStateStore state, RetryOptions retry)
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
        RunMemo.BeginRun();
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
        Exception? lastFailure = null;
        var budget = ReadyBudgetOf(step);
        var deadline = DateTimeOffset.UtcNow + budget;
        void Report(string message) => progress.Report(new(step.Id, step.ResourceName, StepStatus.Running, message));

        var pipeline = BuildPipeline(step, budget, deadline, logger, Report);
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                var context = new StepContext(logger, token) { ReadyDeadline = deadline };
                warnings = context.Warnings;
                Report(attempts == 1 ? "Checking" : $"Checking (attempt {attempts} of {retry.MaxAttempts})");
                try
                {
                    applied = await AttemptAsync(step, context, logger, Report).ConfigureAwait(false);
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    lastFailure = await DiagnoseAsync(step, context, e, logger).ConfigureAwait(false) ?? e;
                    if (ReferenceEquals(lastFailure, e)) throw;
                    throw lastFailure;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var cause = CauseOf(step, e, lastFailure, budget);
            var message = FailureMessage(step, cause, budget, deadline);
            logger.LogError("{Step} failed: {Message}", step.Id, message);
            progress.Report(new(step.Id, step.ResourceName, StepStatus.Failed, message) { Cause = cause });
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

    /// <summary>Check, then (unless done) Apply and Verify and record the fingerprint; true when Apply ran.</summary>
    private async Task<bool> AttemptAsync(Step step, StepContext context, ILogger logger, Action<string> report)
    {
        logger.LogInformation("{Step}: checking", step.Id);
        if (await step.CheckAsync(context).ConfigureAwait(false) && await IsRecordedAsync(step, logger, context.CancellationToken).ConfigureAwait(false))
            return false;
        report("Applying");
        logger.LogInformation("{Step}: applying", step.Id);
        await step.ApplyAsync(context).ConfigureAwait(false);
        report("Verifying");
        logger.LogInformation("{Step}: verifying", step.Id);
        await step.VerifyAsync(context).ConfigureAwait(false);
        if (step.StateCluster is { } cluster)
            await state.WriteAsync(cluster, step.Id, step.Fingerprint, context.CancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary><c>Lab:Retry:ReadyBudget</c> when set, else the step's own, else <see cref="DefaultReadyBudget"/>.</summary>
    private TimeSpan ReadyBudgetOf(Step step) => retry.ReadyBudget ?? step.ReadyBudget ?? DefaultReadyBudget;

    /// <summary>The ready budget of a step that names none.</summary>
    public static readonly TimeSpan DefaultReadyBudget = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The ready budget plus a grace of a tenth of it (at most 1 min) for the last attempt to end and be diagnosed;
    /// never less than one attempt's timeout (a 15 min image build is no wait for readiness).
    /// </summary>
    private static TimeSpan OuterTimeout(Step step, TimeSpan budget)
    {
        var withGrace = budget + TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, budget.Ticks / 10));
        return withGrace > step.Timeout ? withGrace : step.Timeout;
    }

    /// <summary>What the cluster says about a failed attempt, as a permanent failure; null when it says nothing.</summary>
    private static async Task<Exception?> DiagnoseAsync(Step step, StepContext context, Exception failure, ILogger logger)
    {
        if (failure is WorkloadFailedException) return null;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        bounded.CancelAfter(DiagnosisTimeout);
        try
        {
            var diagnosis = await step.DiagnoseAsync(context with { CancellationToken = bounded.Token }, failure).ConfigureAwait(false);
            if (diagnosis is null) return null;
            logger.LogError("{Step}: {Diagnosis}", step.Id, diagnosis.Summary);
            return new WorkloadFailedException(diagnosis, failure);
        }
        catch (Exception e) when (!context.CancellationToken.IsCancellationRequested)
        {
            // The diagnosis only adds to the failure; when the cluster cannot be read, the failure stands as it is.
            logger.LogDebug("{Step}: the pods and events could not be read ({Reason})", step.Id, e.Message);
            return null;
        }
    }

    /// <summary>How long reading pods, events and logs after a failure may take.</summary>
    private static readonly TimeSpan DiagnosisTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The last attempt's failure when the outer timeout ended the retries, else the failure itself.</summary>
    private static Exception CauseOf(Step step, Exception failure, Exception? lastFailure, TimeSpan budget) =>
        failure is TimeoutRejectedException { } outer && outer.Timeout == OuterTimeout(step, budget) && lastFailure is not null ? lastFailure : failure;

    /// <summary>The failure, and when its budget stopped the retries, that it did.</summary>
    private static string FailureMessage(Step step, Exception cause, TimeSpan budget, DateTimeOffset deadline)
    {
        var message = StepFailures.Describe(step, cause);
        return StepFailures.IsTransient(cause) && DateTimeOffset.UtcNow >= deadline
            ? $"{message} (not retried: its ready budget of {StepFailures.Span(budget)} is spent; Lab:Retry:ReadyBudget sets it)"
            : message;
    }

    private async Task<bool> IsRecordedAsync(Step step, ILogger logger, CancellationToken cancellationToken)
    {
        if (step.StateCluster is not { } cluster) return true;
        var recorded = await state.ReadAsync(cluster, step.Id, cancellationToken).ConfigureAwait(false);
        if (recorded == step.Fingerprint) return true;
        logger.LogInformation("{Step}: inputs changed (recorded {Recorded}, now {Fingerprint})", step.Id, recorded ?? "nothing", step.Fingerprint);
        return false;
    }

    /// <summary>
    /// Outermost the ready budget (<see cref="OuterTimeout"/>), then the retries of transient failures while budget is left, innermost one attempt's timeout.
    /// </summary>
    private ResiliencePipeline BuildPipeline(Step step, TimeSpan budget, DateTimeOffset deadline, ILogger logger, Action<string> report)
    {
        var builder = new ResiliencePipelineBuilder().AddTimeout(OuterTimeout(step, budget));
        if (retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => StepFailures.IsTransient(e) && DateTimeOffset.UtcNow < deadline),
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
