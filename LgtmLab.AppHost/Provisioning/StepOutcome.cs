namespace LgtmLab.AppHost.Provisioning;

/// <summary>How one step ended in a run.</summary>
/// <param name="Applied">True when Apply ran (the step was not converged); false when Check found it done.</param>
/// <param name="BlockedBy">For a blocked step, the failed step it waits on.</param>
/// <param name="Warning">For a succeeded step, what it could not do (and how to fix it); null when nothing.</param>
internal sealed record StepOutcome(
    string StepId,
    string ResourceName,
    StepStatus Status,
    string? Message,
    bool Applied,
    int Attempts,
    TimeSpan Duration,
    string? BlockedBy = null,
    string? Warning = null);

/// <summary>The outcome of every step a run covered, and its wall time.</summary>
internal sealed record EngineRun(IReadOnlyDictionary<string, StepOutcome> Outcomes, TimeSpan Elapsed)
{
    public bool Succeeded => Outcomes.Values.All(o => o.Status == StepStatus.Succeeded);
}
