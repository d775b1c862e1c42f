namespace LgtmLab.AppHost.Provisioning;

/// <summary>How one step ended in a run.</summary>
/// <param name="Applied">True when Apply ran (the step was not converged); false when Check found it done.</param>
/// <param name="BlockedBy">For a blocked step, the failed step it waits on.</param>
public sealed record StepOutcome(
    string StepId,
    string ResourceName,
    StepStatus Status,
    string? Message,
    bool Applied,
    int Attempts,
    TimeSpan Duration,
    string? BlockedBy = null);

/// <summary>The outcome of every step a run covered, and its wall time.</summary>
public sealed record EngineRun(IReadOnlyDictionary<string, StepOutcome> Outcomes, TimeSpan Elapsed)
{
    public bool Succeeded => Outcomes.Values.All(o => o.Status == StepStatus.Succeeded);
}
