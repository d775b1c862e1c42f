using System.Diagnostics;
using LgtmLab.AppHost.Provisioning;

namespace EngineBench;

/// <summary>When each step started (its first Running report) and ended (Succeeded or Failed), on one clock.</summary>
internal sealed class StepTimeline : IProgress<StepProgress>
{
    private readonly Lock _lock = new();
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly Dictionary<string, TimeSpan> _starts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _ends = new(StringComparer.Ordinal);

    /// <summary>The first report of the run: the engine reports Waiting for every blocked step before it starts any.</summary>
    public TimeSpan? FirstReport { get; private set; }

    public TimeSpan Start(string id) => _starts[id];
    public TimeSpan End(string id) => _ends[id];

    public void Report(StepProgress value)
    {
        var now = Stopwatch.GetElapsedTime(_origin);
        lock (_lock)
        {
            FirstReport ??= now;
            if (value.Status == StepStatus.Running) _starts.TryAdd(value.StepId, now);
            if (value.Status is StepStatus.Succeeded or StepStatus.Failed or StepStatus.Blocked) _ends[value.StepId] = now;
        }
    }

    /// <summary>How long a step waited after its last dependency ended (after the first report for a step without any).</summary>
    public TimeSpan Gap(Step step) =>
        Start(step.Id) - (step.DependsOn.Count == 0 ? FirstReport!.Value : step.DependsOn.Max(End));
}
