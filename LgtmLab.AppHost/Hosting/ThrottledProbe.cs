using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// A resource's live probe as Aspire's health checks call it, which is often and concurrently: callers that arrive
/// while a probe runs share it, a healthy answer is reused for <see cref="HealthyFor"/> and an unhealthy one (or a
/// failure) for <see cref="UnhealthyFor"/>. A probe that spawns a CLI (<c>linkerd multicluster gateways</c>) so runs
/// at most every 30 s while healthy, and never more than one at a time.
/// </summary>
internal sealed class ThrottledProbe(Func<CancellationToken, Task<LabProbeResult>> probe, TimeProvider clock, TimeSpan? runTimeout = null)
{
    public static readonly TimeSpan HealthyFor = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan UnhealthyFor = TimeSpan.FromSeconds(5);

    // A caller gives up after its own timeout; the shared run is bounded too, so a hung CLI is killed and re-probed.
    private readonly TimeSpan _runTimeout = runTimeout ?? TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private Task<LabProbeResult>? _running;
    private Task<LabProbeResult>? _last;
    private DateTimeOffset _lastAt;

    /// <summary>The latest answer while it is fresh, else the running probe's, else a new probe's; the token only ends this caller's wait.</summary>
    public Task<LabProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_last is { } last && clock.GetUtcNow() - _lastAt < FreshFor(last)) return last.WaitAsync(cancellationToken);
            _running ??= RunAsync();
            return _running.WaitAsync(cancellationToken);
        }
    }

    private static TimeSpan FreshFor(Task<LabProbeResult> answer) =>
        answer.IsCompletedSuccessfully && answer.Result.Healthy ? HealthyFor : UnhealthyFor;

    private async Task<LabProbeResult> RunAsync()
    {
        // Off the caller's thread and lock: the probe starts after _running is set.
        await Task.Yield();
        using var timeout = new CancellationTokenSource(_runTimeout);
        Task<LabProbeResult> run;
        try
        {
            // WaitAsync as well: a probe that ignores its token still releases the next caller.
            run = probe(timeout.Token).WaitAsync(_runTimeout + TimeSpan.FromSeconds(1));
        }
        catch (Exception e)
        {
            run = Task.FromException<LabProbeResult>(e);
        }
        // Completes without throwing; the outcome (answer or failure) stays in `run` for every waiter.
        await Task.WhenAny(run).ConfigureAwait(false);
        lock (_gate)
        {
            _last = run;
            _lastAt = clock.GetUtcNow();
            _running = null;
        }
        return await run.ConfigureAwait(false);
    }
}
