using LgtmLab.AppHost.Kubernetes;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>
/// One unit of provisioning work (create a cluster, install a chart, apply manifests, ...). The engine runs
/// <see cref="CheckAsync"/> first and only calls <see cref="ApplyAsync"/> when the lab is not already in the
/// desired state for this step's <see cref="Fingerprint"/>; <see cref="VerifyAsync"/> then waits until ready.
/// </summary>
internal abstract class Step
{
    /// <summary>Unique id in the graph, e.g. <c>lgtm-central/cluster</c>.</summary>
    public abstract string Id { get; }

    /// <summary>The Aspire resource whose state and logs this step drives, e.g. <c>lgtm-central-metallb</c>.</summary>
    public abstract string ResourceName { get; }

    /// <summary>Ids of the steps that must have succeeded before this one starts.</summary>
    public virtual IReadOnlyList<string> DependsOn => [];

    /// <summary>A stable hash of every input that shapes what Apply does; a change means Apply must run again.</summary>
    public abstract string Fingerprint { get; }

    /// <summary>True when the lab already is in the state Apply would produce (read-only commands only).</summary>
    public abstract Task<bool> CheckAsync(StepContext context);

    /// <summary>Brings the lab to the desired state. Must be safe to run again after an interruption.</summary>
    public abstract Task ApplyAsync(StepContext context);

    /// <summary>Waits until what Apply produced is ready. Read-only.</summary>
    public virtual Task VerifyAsync(StepContext context) => Task.CompletedTask;

    /// <summary>Upper bound for Check + Apply + Verify of one attempt.</summary>
    public virtual TimeSpan Timeout => TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most time this step may take to become ready, across all its attempts (null: 10 min); <c>Lab:Retry:ReadyBudget</c>,
    /// when set, replaces it. A wait inside an attempt (helm's <c>--timeout</c>) gets what is left of it
    /// (<see cref="StepContext.ReadyTimeLeft"/>), and no attempt starts once it is spent.
    /// </summary>
    public virtual TimeSpan? ReadyBudget => null;

    /// <summary>
    /// The cluster whose <c>lgtmlab-state</c> ConfigMap records this step's <see cref="Fingerprint"/> once it has
    /// succeeded; the step counts as done only when Check passes and the recorded fingerprint matches. Null for
    /// steps whose Check alone observes everything (e.g. routes inside a node).
    /// </summary>
    public virtual string? StateCluster => null;

    /// <summary>What to do about <paramref name="failure"/> on this step's resource; null for the generic hint.</summary>
    public virtual string? HintFor(Exception failure) => null;

    /// <summary>
    /// Called by the engine when an attempt fails: what the cluster says about why (e.g. the pods of a release that
    /// never became ready), or null when it has nothing to add. A diagnosis is a permanent failure: no more attempts.
    /// </summary>
    public virtual Task<WorkloadDiagnosis?> DiagnoseAsync(StepContext context, Exception failure) => Task.FromResult<WorkloadDiagnosis?>(null);
}

/// <summary>What a step gets while it runs: a logger that streams into its resource's log, and cancellation.</summary>
internal sealed record StepContext(ILogger Logger, CancellationToken CancellationToken)
{
    /// <summary>When the step's ready budget ends (null: no budget, e.g. a step run outside the engine).</summary>
    public DateTimeOffset? ReadyDeadline { get; init; }

    /// <summary>
    /// What a wait in this attempt may take: what is left of the step's ready budget, at most <paramref name="cap"/>,
    /// rounded up to whole seconds (helm's <c>--timeout</c> takes seconds) and at least one second.
    /// </summary>
    public TimeSpan ReadyTimeLeft(TimeSpan cap)
    {
        if (ReadyDeadline is not { } deadline) return cap;
        var left = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((deadline - DateTimeOffset.UtcNow).TotalSeconds)));
        return left < cap ? left : cap;
    }

    /// <summary>What the step got done only in part without failing (e.g. a dashboard it could not download);
    /// the run still counts it as succeeded, and its resource shows the warning.</summary>
    public StepWarnings Warnings { get; } = new();
}

/// <summary>Where a step stands; the hosting layer maps these onto Aspire resource states.</summary>
internal enum StepStatus
{
    /// <summary>Not started; its dependencies have not finished.</summary>
    Waiting,
    /// <summary>Check, Apply or Verify is running.</summary>
    Running,
    /// <summary>Done: Check found it converged, or Apply + Verify succeeded.</summary>
    Succeeded,
    /// <summary>Failed permanently (after retries); the message says why and what to do.</summary>
    Failed,
    /// <summary>Will not run because a dependency failed; the message names it.</summary>
    Blocked,
}

/// <summary>A change of one step's status, published by the engine as it runs.</summary>
/// <param name="Warning">For a succeeded step, what it could not do (and how to fix it); null when nothing.</param>
internal sealed record StepProgress(string StepId, string ResourceName, StepStatus Status, string? Message = null, string? Warning = null)
{
    /// <summary>For a failed step, what it failed with (<see cref="Message"/> describes it): the hosting layer
    /// offers a remedy for some, e.g. Recreate for a cluster whose configuration changed.</summary>
    public Exception? Cause { get; init; }
}
