using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Hosting;

/// <summary>Where a lab resource stands, summed up from the latest status of each of its steps.</summary>
internal enum LabResourcePhase
{
    /// <summary>No step of it has been reported yet.</summary>
    NotStarted,
    /// <summary>Its steps wait for their dependencies.</summary>
    Waiting,
    /// <summary>A step of it is running.</summary>
    Starting,
    /// <summary>Every step of it has succeeded.</summary>
    Running,
    /// <summary>A step of it failed; Retry runs it again.</summary>
    Failed,
    /// <summary>A step of it will not run because a dependency failed.</summary>
    Blocked,
    /// <summary>Its cluster was deleted from the dashboard.</summary>
    Deleted,
}

/// <summary>
/// The summary of one resource's steps: its phase, the step that decides it and that step's message.
/// </summary>
/// <param name="Phase">The phase the dashboard shows.</param>
/// <param name="StepId">The step that decides the phase (the failed one, the running one, ...), if any.</param>
/// <param name="Message">That step's message, e.g. the error or "Waiting on lgtm-central-linkerd".</param>
/// <param name="Succeeded">How many of its steps have succeeded.</param>
/// <param name="Total">How many steps it has.</param>
/// <param name="Warning">What its succeeded steps could not do (e.g. dashboards not downloaded); null when nothing.</param>
internal sealed record LabResourceStatus(LabResourcePhase Phase, string? StepId, string? Message, int Succeeded, int Total, string? Warning = null)
{
    /// <summary>A resource none of whose steps has been reported.</summary>
    public static LabResourceStatus NotStarted { get; } = new(LabResourcePhase.NotStarted, null, null, 0, 0);

    /// <summary>A resource whose cluster was deleted.</summary>
    public static LabResourceStatus Deleted { get; } = new(LabResourcePhase.Deleted, null, null, 0, 0);

    /// <summary>
    /// Sums up the latest progress or outcome of each step of one resource. The most urgent status wins: a failure over
    /// a running step over a blocked one over a waiting one; the resource runs only when every step succeeded.
    /// </summary>
    public static LabResourceStatus Summarize(IReadOnlyCollection<StepOutcome> steps)
    {
        if (steps.Count == 0)
            return NotStarted;

        var succeeded = steps.Count(s => s.Status == StepStatus.Succeeded);
        var decisive = steps
            .Where(s => s.Status != StepStatus.Succeeded)
            .OrderBy(s => Urgency(s.Status))
            .FirstOrDefault();

        var warned = steps.Where(s => s.Status == StepStatus.Succeeded && s.Warning is not null).OrderBy(s => s.StepId, StringComparer.Ordinal).ToList();
        var warning = warned.Count == 0 ? null : string.Join("; ", warned.Select(s => $"{s.StepId}: {s.Warning}"));
        return decisive is null
            ? new LabResourceStatus(LabResourcePhase.Running, warned.FirstOrDefault()?.StepId, null, succeeded, steps.Count, warning)
            : new LabResourceStatus(PhaseOf(decisive.Status), decisive.StepId, decisive.Message, succeeded, steps.Count, warning);
    }

    private static int Urgency(StepStatus status) => status switch
    {
        StepStatus.Failed => 0,
        StepStatus.Running => 1,
        StepStatus.Blocked => 2,
        _ => 3,
    };

    private static LabResourcePhase PhaseOf(StepStatus status) => status switch
    {
        StepStatus.Failed => LabResourcePhase.Failed,
        StepStatus.Running => LabResourcePhase.Starting,
        StepStatus.Blocked => LabResourcePhase.Blocked,
        StepStatus.Waiting => LabResourcePhase.Waiting,
        _ => LabResourcePhase.Running,
    };
}
