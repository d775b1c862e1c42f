using System.Collections.Concurrent;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>
/// Inputs that the steps of one engine run read from outside the lab's configuration (a project's sources), worked
/// out once per run: every step of the run, and every phase of a step, sees the same value, and the next run
/// (a Retry) reads them again. A step stays an immutable spec: it asks for the value, the run keeps it.
/// Outside a run (a test, a dashboard update between runs) each call works it out anew.
/// </summary>
internal sealed class RunMemo
{
    private static readonly AsyncLocal<RunMemo?> CurrentRun = new();
    private readonly ConcurrentDictionary<object, Lazy<object>> _values = new(ReferenceEqualityComparer.Instance);

    private RunMemo()
    {
    }

    /// <summary>Makes the code that runs from here on (and the tasks it starts) one run, until the calling async method returns.</summary>
    public static void BeginRun() => CurrentRun.Value = new RunMemo();

    /// <summary>The value of <paramref name="key"/> in the current run: made by <paramref name="make"/> on first use.</summary>
    public static T Get<T>(object key, Func<T> make) where T : notnull =>
        CurrentRun.Value is { } run
            ? (T)run._values.GetOrAdd(key, _ => new Lazy<object>(() => make(), LazyThreadSafetyMode.ExecutionAndPublication)).Value
            : make();
}
