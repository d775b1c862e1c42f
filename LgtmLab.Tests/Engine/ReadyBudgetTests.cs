using System.Diagnostics;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;

namespace LgtmLab.Tests.Engine;

/// <summary>A step's ready budget bounds all its attempts together; a diagnosed failure is not retried.</summary>
public class ReadyBudgetTests
{
    private readonly InMemoryStateStore _state = new();
    private readonly RecordingProgress _progress = new();

    private Task<EngineRun> Run(RetryOptions retry, params Step[] steps) =>
        new LabEngine(_state, retry).RunAsync(new StepGraph(steps), _progress, Loggers.None, CancellationToken.None);

    private static ToolFailedException WaitTimedOut() => new("helm upgrade --install loki", new ToolResult(1, [],
        ["Error: resource StatefulSet/loki/loki not ready. status: InProgress, message: Ready: 0/1", "context deadline exceeded"], TimeSpan.Zero), isTransient: true);

    [Fact]
    public async Task A_transient_failure_is_retried_only_while_the_ready_budget_lasts_not_for_every_attempt()
    {
        var step = new ScriptedStep("central/loki").FailApply([.. Enumerable.Range(0, 1000).Select(_ => (Exception)WaitTimedOut())]);
        var retry = new RetryOptions { MaxAttempts = 1000, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(20), ReadyBudget = TimeSpan.FromMilliseconds(400) };
        var clock = Stopwatch.StartNew();

        var run = await Run(retry, step);

        var outcome = run.Outcomes["central/loki"];
        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3));
        Assert.InRange(outcome.Attempts, 2, 100);
        Assert.Contains("context deadline exceeded", outcome.Message, StringComparison.Ordinal);
        Assert.EndsWith("(not retried: its ready budget of 0.4 s is spent; Lab:Retry:ReadyBudget sets it)", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_attempt_sees_the_same_deadline_the_steps_own_budget_from_its_start()
    {
        var step = new ScriptedStep("central/metallb") { ReadyBudgetValue = TimeSpan.FromMinutes(5) }.FailApply(WaitTimedOut(), WaitTimedOut());
        var before = DateTimeOffset.UtcNow;

        var run = await Run(new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) }, step);

        Assert.True(run.Succeeded);
        Assert.Equal(3, step.Deadlines.Count);
        Assert.Single(step.Deadlines.Distinct());
        Assert.InRange(step.Deadlines[0]!.Value - before, TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void What_a_wait_gets_is_what_is_left_of_the_budget_in_whole_seconds_at_most_its_own_timeout()
    {
        var context = new StepContext(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None)
        { ReadyDeadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2.2) };

        Assert.Equal(TimeSpan.FromSeconds(3), context.ReadyTimeLeft(TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromSeconds(1), context.ReadyTimeLeft(TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(1), (context with { ReadyDeadline = DateTimeOffset.UtcNow.AddMinutes(-1) }).ReadyTimeLeft(TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_failure_the_cluster_explains_fails_at_once_with_the_cause_and_its_hint()
    {
        var diagnosis = new WorkloadDiagnosis("loki", [new WorkloadFinding("loki-0", "loki", WorkloadCause.OutOfMemory, "OOMKilled (exit code 137, restarted 3 times): it needs more than its memory limit of 256Mi")]);
        var step = new ScriptedStep("central/loki") { Diagnosis = diagnosis }.FailApply(WaitTimedOut(), WaitTimedOut());

        var run = await Run(new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) }, step);

        var outcome = run.Outcomes["central/loki"];
        Assert.Equal((StepStatus.Failed, 1), (outcome.Status, outcome.Attempts));
        Assert.Equal(
            "`helm upgrade --install loki` failed (exit 1): Error: resource StatefulSet/loki/loki not ready. status: InProgress, message: Ready: 0/1 | context deadline exceeded. "
            + "The pods of namespace loki say why: pod loki-0 (container loki): OOMKilled (exit code 137, restarted 3 times): it needs more than its memory limit of 256Mi. "
            + "Hint: raise the container's memory limit in the values files (or give Docker more memory); then use Retry on central-loki",
            outcome.Message);
    }
}
