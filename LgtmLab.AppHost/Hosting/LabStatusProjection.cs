using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// The dashboard's view of the controller's <see cref="StepOutcomeStore"/>: each resource's status is computed from
/// the records of its steps whenever it is asked for, so the dashboard states, the health checks and the command
/// states never disagree with the engine or with each other.
/// </summary>
internal static class LabStatusProjection
{
    /// <summary>The step id shown for a resource whose operation stopped before its steps finished (crash, interruption).</summary>
    public const string HostingStepId = "hosting";

    /// <summary>The summary of the resource's steps: Deleted while all of them are; Failed with the reason while an
    /// operation stopped before they finished; else what their latest progress or outcome says.</summary>
    public static LabResourceStatus Of(StepOutcomeStore steps, string resourceName) => Summarize(steps.RecordsOf(resourceName));

    /// <summary>The whole lab: every step of every resource summed up (steps done of total, the step running now).</summary>
    public static LabResourceStatus Overall(StepOutcomeStore steps) => Summarize(steps.Records());

    private static LabResourceStatus Summarize(IReadOnlyList<StepRecord> records)
    {
        if (records.Count > 0 && records.All(r => r.Kind == StepRecordKind.Deleted))
            return LabResourceStatus.Deleted;
        var live = records.Where(r => r.Kind != StepRecordKind.Deleted).Select(r => r.Outcome).ToList();
        if (records.FirstOrDefault(r => r.Kind == StepRecordKind.Stopped) is { } stopped)
            return new LabResourceStatus(LabResourcePhase.Failed, HostingStepId, stopped.Outcome.Message,
                live.Count(o => o.Status == StepStatus.Succeeded), live.Count);
        return LabResourceStatus.Summarize(live);
    }
}
