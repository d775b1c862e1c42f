using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// The latest progress of every step, by resource, plus what the hosting layer itself decided (deleted, or
/// failed outside any step): the one place the dashboard states, the health checks and the command states
/// read from, so they never disagree.
/// </summary>
internal sealed class LabStatusBoard
{
    /// <summary>The step id shown for failures the hosting layer records itself (crash, interruption).</summary>
    public const string HostingStepId = "hosting";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, StepProgress>> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LabResourceStatus> _overrides = new(StringComparer.Ordinal);

    /// <summary>Records a step's new status; returns the previous one of that step, if any. News from the
    /// engine replace anything the hosting layer decided about the resource.</summary>
    public StepProgress? Record(StepProgress progress)
    {
        lock (_lock)
        {
            _overrides.Remove(progress.ResourceName);
            if (!_steps.TryGetValue(progress.ResourceName, out var steps))
                _steps[progress.ResourceName] = steps = new(StringComparer.Ordinal);
            steps.TryGetValue(progress.StepId, out var previous);
            steps[progress.StepId] = progress;
            return previous;
        }
    }

    /// <summary>Forgets everything about the resource: it shows NotStarted until the engine reports again.</summary>
    public void Reset(string resourceName)
    {
        lock (_lock)
        {
            _steps.Remove(resourceName);
            _overrides.Remove(resourceName);
        }
    }

    /// <summary>The resource's cluster is gone; it shows Deleted until the engine reports again.</summary>
    public void MarkDeleted(string resourceName) => Override(resourceName, LabResourceStatus.Deleted);

    /// <summary>The resource failed outside any step (the run crashed or was interrupted).</summary>
    public void MarkFailed(string resourceName, string message) =>
        Override(resourceName, new LabResourceStatus(LabResourcePhase.Failed, HostingStepId, message, 0, 0));

    /// <summary>The summary of the resource's steps.</summary>
    public LabResourceStatus StatusOf(string resourceName)
    {
        lock (_lock)
        {
            if (_overrides.TryGetValue(resourceName, out var decided))
                return decided;
            return _steps.TryGetValue(resourceName, out var steps)
                ? LabResourceStatus.Summarize(steps.Values)
                : LabResourceStatus.NotStarted;
        }
    }

    /// <summary>The whole lab: every step of every resource summed up (steps done of total, the step running
    /// now); a failure the hosting layer recorded counts as a failed step; Deleted once only deleted ones are left.</summary>
    public LabResourceStatus Overall()
    {
        lock (_lock)
        {
            var steps = _steps.Values.SelectMany(s => s.Values).ToList();
            var failed = _overrides.Values.FirstOrDefault(o => o.Phase == LabResourcePhase.Failed);
            if (failed is not null)
                return failed with { Succeeded = steps.Count(s => s.Status == StepStatus.Succeeded), Total = steps.Count };
            if (steps.Count == 0 && _overrides.Count > 0 && _overrides.Values.All(o => o.Phase == LabResourcePhase.Deleted))
                return LabResourceStatus.Deleted;
            return LabResourceStatus.Summarize(steps);
        }
    }

    private void Override(string resourceName, LabResourceStatus status)
    {
        lock (_lock)
        {
            _steps.Remove(resourceName);
            _overrides[resourceName] = status;
        }
    }
}
