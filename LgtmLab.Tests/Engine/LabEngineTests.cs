using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;

namespace LgtmLab.Tests.Engine;

public class LabEngineTests
{
    private static readonly RetryOptions FastRetry = new()
    {
        MaxAttempts = 4,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(5),
    };

    private readonly InMemoryStateStore _state = new();
    private readonly RecordingProgress _progress = new();

    private Task<EngineRun> Run(params Step[] steps) => Run(FastRetry, steps);

    private Task<EngineRun> Run(RetryOptions retry, params Step[] steps) =>
        new LabEngine(_state, retry).RunAsync(new StepGraph(steps), _progress, Loggers.None, CancellationToken.None);

    private static ToolFailedException Transient() =>
        new("helm upgrade --install metallb", new ToolResult(1, [], ["Error: another operation (install/upgrade/rollback) is in progress"], TimeSpan.Zero), isTransient: true);

    private static ToolFailedException Permanent() =>
        new("helm upgrade --install metallb", new ToolResult(1, [], ["Error: values don't meet the specifications of the schema(s)", "- speaker: Additional property x is not allowed"], TimeSpan.Zero), isTransient: false);

    [Fact]
    public async Task Independent_steps_run_at_the_same_time()
    {
        var aStarted = new TaskCompletionSource();
        var bStarted = new TaskCompletionSource();
        var a = new ScriptedStep("central/cluster") { ApplyBody = async ct => { aStarted.SetResult(); await bStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), ct); } };
        var b = new ScriptedStep("remote/cluster") { ApplyBody = async ct => { bStarted.SetResult(); await aStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), ct); } };

        var run = await Run(a, b);

        Assert.True(run.Succeeded, string.Join("; ", run.Outcomes.Values.Select(o => o.Message)));
    }

    [Fact]
    public async Task Steps_whose_dependency_ends_start_together_even_when_one_works_before_its_first_await()
    {
        // A dependent's start used to run inline on the thread that finished the dependency, until the dependent's
        // first real await: a Check or Apply doing synchronous work (a key generated, a file hashed) held back every
        // sibling behind it (engine bench: prometheus and alloy on lgtm-central started 0.9 s after their namespaces).
        var aStarted = new TaskCompletionSource();
        var bStarted = new TaskCompletionSource();
        bool aSawB = false, bSawA = false;
        var cluster = new ScriptedStep("c/cluster") { ApplyBody = ct => Task.Delay(20, ct) };
        var a = new ScriptedStep("c/a", "c/cluster") { ApplyBody = _ => { aStarted.SetResult(); aSawB = bStarted.Task.Wait(TimeSpan.FromSeconds(5)); return Task.CompletedTask; } };
        var b = new ScriptedStep("c/b", "c/cluster") { ApplyBody = _ => { bStarted.SetResult(); bSawA = aStarted.Task.Wait(TimeSpan.FromSeconds(5)); return Task.CompletedTask; } };

        var run = await Run(cluster, a, b);

        Assert.True(run.Succeeded);
        Assert.True(aSawB && bSawA, "one dependent waited for the other's synchronous work to end before it started");
    }

    [Fact]
    public async Task A_step_starts_only_after_all_its_dependencies_succeeded()
    {
        var timeline = new List<string>();
        var central = new ScriptedStep("central/cluster") { Timeline = timeline, ApplyBody = ct => Task.Delay(30, ct) };
        var remote = new ScriptedStep("remote/cluster") { Timeline = timeline, ApplyBody = ct => Task.Delay(10, ct) };
        var routes = new ScriptedStep("central/routes", "central/cluster", "remote/cluster") { Timeline = timeline };

        var run = await Run(routes, central, remote);

        Assert.True(run.Succeeded);
        var routesStart = timeline.IndexOf("central/routes:check");
        Assert.True(routesStart > timeline.IndexOf("central/cluster:apply-end"));
        Assert.True(routesStart > timeline.IndexOf("remote/cluster:apply-end"));
        Assert.Equal(StepStatus.Waiting, _progress.Reports.First(r => r.StepId == "central/routes").Status);
        Assert.Contains("central-cluster", _progress.Reports.First(r => r.StepId == "central/routes").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_converged_step_with_its_fingerprint_recorded_is_not_applied()
    {
        _state.Values[("central", "central/metallb")] = "fp-1";
        var step = new ScriptedStep("central/metallb") { Cluster = "central", InDesiredState = true };

        var run = await Run(step);

        Assert.Equal(0, step.Applies);
        Assert.False(run.Outcomes["central/metallb"].Applied);
        Assert.Equal("Up to date", _progress.Last("central/metallb").Message);
        Assert.Equal(0, _state.Writes);
    }

    [Fact]
    public async Task A_changed_fingerprint_applies_again_and_records_the_new_one()
    {
        _state.Values[("central", "central/metallb")] = "fp-old";
        var step = new ScriptedStep("central/metallb") { Cluster = "central", InDesiredState = true, FingerprintValue = "fp-new" };

        var run = await Run(step);

        Assert.Equal(1, step.Applies);
        Assert.True(run.Outcomes["central/metallb"].Applied);
        Assert.Equal("fp-new", _state.Values[("central", "central/metallb")]);
    }

    [Fact]
    public async Task A_step_whose_check_fails_is_applied_and_its_fingerprint_recorded_only_after_success()
    {
        var step = new ScriptedStep("central/metallb") { Cluster = "central" }.FailApply(Permanent());

        await Run(step);
        Assert.False(_state.Values.ContainsKey(("central", "central/metallb")));

        var again = new ScriptedStep("central/metallb") { Cluster = "central" };
        await Run(again);
        Assert.Equal("fp-1", _state.Values[("central", "central/metallb")]);
    }

    [Fact]
    public async Task Two_transient_failures_are_retried_and_survived()
    {
        var step = new ScriptedStep("central/metallb").FailApply(Transient(), Transient());

        var run = await Run(step);

        var outcome = run.Outcomes["central/metallb"];
        Assert.Equal(StepStatus.Succeeded, outcome.Status);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal(3, step.Applies);
        Assert.Contains(_progress.Reports, r => r.StepId == "central/metallb" && r.Status == StepStatus.Running && r.Message!.StartsWith("Retrying in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transient_failures_beyond_the_attempt_limit_fail_the_step()
    {
        var step = new ScriptedStep("central/metallb").FailApply(Transient(), Transient(), Transient(), Transient(), Transient());

        var run = await Run(step);

        Assert.Equal(StepStatus.Failed, run.Outcomes["central/metallb"].Status);
        Assert.Equal(4, step.Applies);
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_and_shows_the_tools_last_lines_and_a_hint()
    {
        var step = new ScriptedStep("central/metallb").FailApply(Permanent());

        var run = await Run(step);

        Assert.Equal(1, step.Applies);
        var failed = _progress.Last("central/metallb");
        Assert.Equal(StepStatus.Failed, failed.Status);
        Assert.Contains("Additional property x is not allowed", failed.Message, StringComparison.Ordinal);
        Assert.Contains("Hint:", failed.Message, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Failed, run.Outcomes["central/metallb"].Status);
    }

    [Fact]
    public async Task A_permanent_failure_blocks_only_its_dependents()
    {
        var central = new ScriptedStep("central/cluster");
        var remote = new ScriptedStep("remote/cluster");
        var centralLb = new ScriptedStep("central/metallb", "central/cluster").FailApply(Permanent());
        var centralPool = new ScriptedStep("central/metallb-pool", "central/metallb");
        var remoteLb = new ScriptedStep("remote/metallb", "remote/cluster");

        var run = await Run(central, remote, centralLb, centralPool, remoteLb);

        Assert.Equal(StepStatus.Failed, run.Outcomes["central/metallb"].Status);
        Assert.Equal(StepStatus.Blocked, run.Outcomes["central/metallb-pool"].Status);
        Assert.Equal(0, centralPool.Checks);
        Assert.Equal(StepStatus.Succeeded, run.Outcomes["remote/metallb"].Status);
        Assert.Equal(StepStatus.Succeeded, run.Outcomes["central/cluster"].Status);
        var blocked = _progress.Last("central/metallb-pool");
        Assert.Equal(StepStatus.Blocked, blocked.Status);
        Assert.StartsWith("Waiting on central-metallb", blocked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocked_steps_further_down_name_the_step_that_failed()
    {
        var a = new ScriptedStep("a/cluster").FailApply(Permanent());
        var b = new ScriptedStep("a/b", "a/cluster");
        var c = new ScriptedStep("a/c", "a/b");

        var run = await Run(a, b, c);

        Assert.Equal("a/cluster", run.Outcomes["a/c"].BlockedBy);
        Assert.StartsWith("Waiting on a-cluster", _progress.Last("a/c").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attempt_that_exceeds_the_step_timeout_is_retried()
    {
        var calls = 0;
        var step = new ScriptedStep("central/slow")
        {
            TimeoutValue = TimeSpan.FromMilliseconds(200),
            ApplyBody = ct => Interlocked.Increment(ref calls) == 1 ? Task.Delay(TimeSpan.FromSeconds(30), ct) : Task.CompletedTask,
        };

        var run = await Run(step);

        Assert.Equal(StepStatus.Succeeded, run.Outcomes["central/slow"].Status);
        Assert.Equal(2, run.Outcomes["central/slow"].Attempts);
    }

    [Fact]
    public async Task A_scoped_run_reruns_only_the_given_steps_using_previous_outcomes_for_the_rest()
    {
        var cluster = new ScriptedStep("c/cluster");
        var lb = new ScriptedStep("c/metallb", "c/cluster").FailApply(Permanent());
        var pool = new ScriptedStep("c/metallb-pool", "c/metallb");
        var engine = new LabEngine(_state, FastRetry);
        var graph = new StepGraph([cluster, lb, pool]);
        var first = await engine.RunAsync(graph, _progress, Loggers.None, CancellationToken.None);
        Assert.Equal(StepStatus.Blocked, first.Outcomes["c/metallb-pool"].Status);

        var retry = await engine.RunAsync(graph, graph.Downstream(["c/metallb"]), first.Outcomes, _progress, Loggers.None, CancellationToken.None);

        Assert.Equal(["c/metallb", "c/metallb-pool"], retry.Outcomes.Keys.Order());
        Assert.True(retry.Succeeded);
        Assert.Equal(1, cluster.Checks);
    }

    [Fact]
    public async Task Cancelling_a_run_stops_it_and_reports_interrupted_steps()
    {
        using var cts = new CancellationTokenSource();
        var step = new ScriptedStep("c/cluster") { ApplyBody = async ct => { cts.Cancel(); await Task.Delay(TimeSpan.FromSeconds(30), ct); } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new LabEngine(_state, FastRetry).RunAsync(new StepGraph([step]), _progress, Loggers.None, cts.Token));

        Assert.Equal("Interrupted; the next run completes it", _progress.Last("c/cluster").Message);
    }
}
