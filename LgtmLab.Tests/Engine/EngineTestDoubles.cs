using LgtmLab.AppHost.Kubernetes;
using System.Collections.Concurrent;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Engine;

/// <summary>A step whose Check/Apply behaviour a test scripts, recording what the engine did with it.</summary>
internal sealed class ScriptedStep(string id, params string[] dependsOn) : Step
{
    private readonly ConcurrentQueue<Exception> _applyFailures = new();
    private readonly ConcurrentQueue<Exception> _checkFailures = new();

    public override string Id => id;
    public override string ResourceName => Resource ?? id.Replace('/', '-');
    public override IReadOnlyList<string> DependsOn => dependsOn;
    public override string Fingerprint => FingerprintValue;
    public override string? StateCluster => Cluster;
    public override TimeSpan Timeout => TimeoutValue;

    public string? Resource { get; init; }
    public string? Cluster { get; init; }
    public string FingerprintValue { get; set; } = "fp-1";
    public TimeSpan TimeoutValue { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>What Check answers before any Apply; after a successful Apply it answers true.</summary>
    public bool InDesiredState { get; set; }
    public Func<CancellationToken, Task>? ApplyBody { get; init; }
    public TimeSpan? ReadyBudgetValue { get; init; }
    public override TimeSpan? ReadyBudget => ReadyBudgetValue;
    /// <summary>What <see cref="DiagnoseAsync"/> answers for any failure (null: nothing to add).</summary>
    public WorkloadDiagnosis? Diagnosis { get; init; }
    public override Task<WorkloadDiagnosis?> DiagnoseAsync(StepContext context, Exception failure) => Task.FromResult(Diagnosis);
    /// <summary>The deadline each attempt's context carried.</summary>
    public List<DateTimeOffset?> Deadlines { get; } = [];
    public List<string>? Timeline { get; init; }

    public int Checks;
    public int Applies;

    public ScriptedStep FailApply(params Exception[] failures)
    {
        foreach (var f in failures) _applyFailures.Enqueue(f);
        return this;
    }

    public ScriptedStep FailCheck(params Exception[] failures)
    {
        foreach (var f in failures) _checkFailures.Enqueue(f);
        return this;
    }

    public override Task<bool> CheckAsync(StepContext context)
    {
        Interlocked.Increment(ref Checks);
        Record("check");
        if (_checkFailures.TryDequeue(out var failure)) throw failure;
        return Task.FromResult(InDesiredState);
    }

    public override async Task ApplyAsync(StepContext context)
    {
        Interlocked.Increment(ref Applies);
        lock (Deadlines) Deadlines.Add(context.ReadyDeadline);
        Record("apply-start");
        if (_applyFailures.TryDequeue(out var failure)) throw failure;
        if (ApplyBody is not null) await ApplyBody(context.CancellationToken);
        InDesiredState = true;
        Record("apply-end");
    }

    private void Record(string what)
    {
        if (Timeline is null) return;
        lock (Timeline) Timeline.Add($"{id}:{what}");
    }
}

internal sealed class InMemoryStateStore : ILabStateStore
{
    public ConcurrentDictionary<(string Cluster, string Key), string> Values { get; } = new();
    public int Writes;

    public Task<string?> ReadAsync(string cluster, string key, CancellationToken cancellationToken) =>
        Task.FromResult(Values.TryGetValue((cluster, key), out var v) ? v : null);

    public Task WriteAsync(string cluster, string key, string value, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Writes);
        Values[(cluster, key)] = value;
        return Task.CompletedTask;
    }
}

/// <summary>Keeps every report in order, synchronously (as the engine's contract asks of hosts).</summary>
internal sealed class RecordingProgress : IProgress<StepProgress>
{
    private readonly List<StepProgress> _reports = [];

    public IReadOnlyList<StepProgress> Reports
    {
        get { lock (_reports) return _reports.ToList(); }
    }

    public void Report(StepProgress value)
    {
        lock (_reports) _reports.Add(value);
    }

    public StepProgress Last(string stepId) => Reports.Last(r => r.StepId == stepId);
}

internal static class Loggers
{
    public static Func<string, ILogger> None => _ => NullLogger.Instance;
}
