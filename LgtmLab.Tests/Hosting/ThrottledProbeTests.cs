using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Pki;

namespace LgtmLab.Tests.Hosting;

/// <summary>A probe that spawns a CLI runs at most every 30 s while healthy, sooner while not, and never twice at once.</summary>
public sealed class ThrottledProbeTests
{
    private readonly FakeClock _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private int _runs;

    private Func<CancellationToken, Task<LabProbeResult>> Counting(Func<CancellationToken, Task<LabProbeResult>> answer) => token =>
    {
        Interlocked.Increment(ref _runs);
        return answer(token);
    };

    private static readonly LabProbeResult Alive = LabProbeResult.Pass("gateway alive");
    private static readonly LabProbeResult Dead = LabProbeResult.Fail("gateway not alive");

    [Fact]
    public async Task Callers_that_arrive_while_a_probe_runs_share_it()
    {
        var release = new TaskCompletionSource<LabProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new ThrottledProbe(Counting(_ => release.Task), _clock);

        var callers = Enumerable.Range(0, 20).Select(_ => probe.ProbeAsync(CancellationToken.None)).ToList();
        await Task.Delay(100);
        release.SetResult(Alive);
        var answers = await Task.WhenAll(callers);

        Assert.Equal(1, _runs);
        Assert.All(answers, a => Assert.Same(Alive, a));
    }

    [Fact]
    public async Task A_healthy_answer_is_reused_for_30_s_then_probed_again()
    {
        var probe = new ThrottledProbe(Counting(_ => Task.FromResult(Alive)), _clock);

        await probe.ProbeAsync(CancellationToken.None);
        _clock.Now += TimeSpan.FromSeconds(29);
        for (var i = 0; i < 10; i++) await probe.ProbeAsync(CancellationToken.None);
        Assert.Equal(1, _runs);

        _clock.Now += TimeSpan.FromSeconds(1);
        await probe.ProbeAsync(CancellationToken.None);
        Assert.Equal(2, _runs);
    }

    [Fact]
    public async Task An_unhealthy_answer_is_probed_again_after_5_s()
    {
        var alive = false;
        var probe = new ThrottledProbe(Counting(_ => Task.FromResult(alive ? Alive : Dead)), _clock);

        Assert.Same(Dead, await probe.ProbeAsync(CancellationToken.None));
        alive = true;
        _clock.Now += TimeSpan.FromSeconds(4);
        Assert.Same(Dead, await probe.ProbeAsync(CancellationToken.None));
        _clock.Now += TimeSpan.FromSeconds(1);
        Assert.Same(Alive, await probe.ProbeAsync(CancellationToken.None));
        Assert.Equal(2, _runs);
    }

    [Fact]
    public async Task A_probe_that_throws_fails_every_waiter_and_is_retried_like_an_unhealthy_answer()
    {
        var probe = new ThrottledProbe(Counting(_ => throw new InvalidOperationException("linkerd: connection refused")), _clock);

        var first = await Assert.ThrowsAsync<InvalidOperationException>(() => probe.ProbeAsync(CancellationToken.None));
        var reused = await Assert.ThrowsAsync<InvalidOperationException>(() => probe.ProbeAsync(CancellationToken.None));
        Assert.Equal(1, _runs);
        Assert.Equal("linkerd: connection refused", reused.Message);

        _clock.Now += ThrottledProbe.UnhealthyFor;
        await Assert.ThrowsAsync<InvalidOperationException>(() => probe.ProbeAsync(CancellationToken.None));
        Assert.Equal(2, _runs);
        Assert.NotNull(first);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_probe_others_wait_for()
    {
        var release = new TaskCompletionSource<LabProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken probeToken = default;
        var probe = new ThrottledProbe(Counting(token => { probeToken = token; return release.Task; }), _clock);
        using var impatient = new CancellationTokenSource();

        var gaveUp = probe.ProbeAsync(impatient.Token);
        var patient = probe.ProbeAsync(CancellationToken.None);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        release.SetResult(Alive);

        Assert.Same(Alive, await patient);
        Assert.False(probeToken.IsCancellationRequested);
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task A_probe_that_never_answers_is_bounded_and_the_next_caller_probes_again()
    {
        var probe = new ThrottledProbe(Counting(async _ =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan);
            return Alive;
        }), _clock, runTimeout: TimeSpan.FromMilliseconds(50));

        var waiters = Enumerable.Range(0, 5).Select(_ => probe.ProbeAsync(CancellationToken.None)).ToList();
        foreach (var waiter in waiters) await Assert.ThrowsAsync<TimeoutException>(() => waiter);
        Assert.Equal(1, _runs);

        _clock.Now += ThrottledProbe.UnhealthyFor;
        await Assert.ThrowsAsync<TimeoutException>(() => probe.ProbeAsync(CancellationToken.None));
        Assert.Equal(2, _runs);
    }
}
