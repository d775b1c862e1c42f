using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>How a step's latest record came about.</summary>
internal enum StepRecordKind
{
    /// <summary>The engine's latest word on it: its progress while a run is under way, then its outcome.</summary>
    Reported,
    /// <summary>The operation running it stopped (crashed or was interrupted) before it finished; the outcome is Failed with the reason.</summary>
    Stopped,
    /// <summary>Its cluster was deleted; the outcome is the last one before that.</summary>
    Deleted,
}

/// <summary>The latest record of one step.</summary>
internal sealed record StepRecord(StepOutcome Outcome, StepRecordKind Kind);

/// <summary>
/// The one record of where every step of the lab stands: the engine's progress and outcomes, which steps an
/// operation left unfinished when it stopped, and which steps' cluster was deleted. The controller writes it; the
/// dashboard's states are computed from it (and the plan's step-to-resource map it is built with), never kept
/// anywhere else. As a dictionary it holds the latest outcome of every step whose cluster was not deleted since.
/// </summary>
internal sealed class StepOutcomeStore : IReadOnlyDictionary<string, StepOutcome>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _resourceOf;
    private readonly Dictionary<string, StepRecord> _records = new(StringComparer.Ordinal);

    /// <param name="stepResources">Every step of the plan and the resource it drives.</param>
    public StepOutcomeStore(IEnumerable<KeyValuePair<string, string>> stepResources) =>
        _resourceOf = new Dictionary<string, string>(stepResources, StringComparer.Ordinal);

    /// <summary>Raised after a step's record changed (not when the same news arrives again), on the writer's thread,
    /// with the record before (null: none) and after.</summary>
    public event Action<StepRecord?, StepRecord>? Changed;

    /// <summary>The plan's steps of a resource.</summary>
    public IReadOnlyList<string> StepsOf(string resourceName) =>
        [.. _resourceOf.Where(s => s.Value == resourceName).Select(s => s.Key)];

    /// <summary>Records the engine's progress of a step.</summary>
    public void Report(StepProgress progress) =>
        Write(new StepRecord(new StepOutcome(progress.StepId, progress.ResourceName, progress.Status, progress.Message, false, 0, TimeSpan.Zero, Warning: progress.Warning), StepRecordKind.Reported));

    /// <summary>Records how a step ended.</summary>
    public void Record(StepOutcome outcome) => Write(new StepRecord(outcome, StepRecordKind.Reported));

    /// <summary>Records how every step of a run ended.</summary>
    public void Record(EngineRun run)
    {
        foreach (var outcome in run.Outcomes.Values)
            Record(outcome);
    }

    /// <summary>A progress that records into this store, then tells <paramref name="next"/>.</summary>
    public IProgress<StepProgress> Recording(IProgress<StepProgress> next) => new RecordingProgress(this, next);

    /// <summary>The operation running the resource's steps stopped: each of them that had not succeeded or failed
    /// (and whose cluster is not deleted) is recorded as failed with <paramref name="message"/>.</summary>
    public void MarkStopped(string resourceName, string message)
    {
        foreach (var step in StepsOf(resourceName))
            Write(step, latest => latest is { Kind: StepRecordKind.Deleted } or { Kind: StepRecordKind.Reported, Outcome.Status: StepStatus.Succeeded or StepStatus.Failed }
                ? null
                : new StepRecord(new StepOutcome(step, resourceName, StepStatus.Failed, message, false, 0, TimeSpan.Zero), StepRecordKind.Stopped));
    }

    /// <summary>The steps' cluster was deleted: they show Deleted until the engine reports on them again.</summary>
    public void MarkDeleted(IEnumerable<string> stepIds)
    {
        foreach (var step in stepIds)
            Write(step, latest => new StepRecord(
                latest?.Outcome ?? new StepOutcome(step, _resourceOf.GetValueOrDefault(step, step), StepStatus.Waiting, null, false, 0, TimeSpan.Zero),
                StepRecordKind.Deleted));
    }

    /// <summary>The outcomes a later run can build on: steps the engine finished (succeeded, failed or blocked).
    /// A step left Waiting or Running, stopped or deleted counts as never run.</summary>
    public Dictionary<string, StepOutcome> Finished()
    {
        lock (_lock)
            return _records.Values
                .Where(r => r is { Kind: StepRecordKind.Reported, Outcome.Status: StepStatus.Succeeded or StepStatus.Failed or StepStatus.Blocked })
                .ToDictionary(r => r.Outcome.StepId, r => r.Outcome, StringComparer.Ordinal);
    }

    /// <summary>The record of every step that has one.</summary>
    public IReadOnlyList<StepRecord> Records()
    {
        lock (_lock)
            return [.. _records.Values];
    }

    /// <summary>The record of every step of the resource that has one.</summary>
    public IReadOnlyList<StepRecord> RecordsOf(string resourceName)
    {
        lock (_lock)
            return [.. _records.Values.Where(r => r.Outcome.ResourceName == resourceName)];
    }

    public StepOutcome this[string key] => TryGetValue(key, out var outcome) ? outcome : throw new KeyNotFoundException($"step '{key}' has no outcome");

    public IEnumerable<string> Keys => Live().Keys;

    public IEnumerable<StepOutcome> Values => Live().Values;

    public int Count => Live().Count;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out StepOutcome value)
    {
        value = Latest(key) is { Kind: not StepRecordKind.Deleted } record ? record.Outcome : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, StepOutcome>> GetEnumerator() => Live().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private StepRecord? Latest(string stepId)
    {
        lock (_lock)
            return _records.GetValueOrDefault(stepId);
    }

    private Dictionary<string, StepOutcome> Live()
    {
        lock (_lock)
            return _records.Values.Where(r => r.Kind != StepRecordKind.Deleted).ToDictionary(r => r.Outcome.StepId, r => r.Outcome, StringComparer.Ordinal);
    }

    private void Write(StepRecord record) => Write(record.Outcome.StepId, _ => record);

    /// <summary>Replaces the step's record with what <paramref name="update"/> makes of it (null: leaves it).</summary>
    private void Write(string stepId, Func<StepRecord?, StepRecord?> update)
    {
        StepRecord? previous, record;
        lock (_lock)
        {
            _records.TryGetValue(stepId, out previous);
            record = update(previous);
            if (record is null)
                return;
            _records[stepId] = record;
        }
        if (previous is null || previous.Kind != record.Kind || previous.Outcome.Status != record.Outcome.Status
            || previous.Outcome.Message != record.Outcome.Message || previous.Outcome.Warning != record.Outcome.Warning)
            Changed?.Invoke(previous, record);
    }

    private sealed class RecordingProgress(StepOutcomeStore store, IProgress<StepProgress> next) : IProgress<StepProgress>
    {
        public void Report(StepProgress value)
        {
            store.Report(value);
            next.Report(value);
        }
    }
}
