using System.Text.RegularExpressions;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Fakes;
using LgtmLab.Tests.Fakes.Kubernetes;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Engine;

/// <summary>
/// A release that never becomes ready fails within its ready budget, once, with the cause the cluster gives (through
/// the engine, the fake helm's real --wait timeout and the fake API's pods, events and logs); what time can still fix
/// is retried.
/// </summary>
public sealed class WorkloadDiagnosisContractTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Step = "lgtm-central/metallb";
    private const string Namespace = "metallb-system";
    private const string Image = "example.invalid/metallb:0.16.1";
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private ContractLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = ContractLab.Create(null, ("Lab:Retry:ReadyBudget", "00:00:03"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private FakeKubernetesApi Central => _lab.Toolbox.Cluster("lgtm-central")!.Api!;

    private List<ToolInvocation> MetallbInstalls() => [.. _lab.Toolbox.Mutating
        .Where(m => m.CommandLine.StartsWith("helm upgrade --install metallb ", StringComparison.Ordinal) && m.CommandLine.Contains("kind-lgtm-central", StringComparison.Ordinal))];

    /// <summary>The cluster exists before the fault is set, as on a user's machine where the chart's pods are what fail.</summary>
    private async Task<StepOutcome> RunWithAsync(FakePodFault fault)
    {
        _lab.Toolbox.AfterClusterCreated("lgtm-central", api => api.BreakPods(Namespace, fault));
        var outcomes = await _lab.RunAsync();
        return outcomes[Step];
    }

    private void AssertFailedOnceWith(StepOutcome outcome, params string[] expected)
    {
        output.WriteLine($"{outcome.Duration.TotalSeconds:F1} s: {outcome.Message}");
        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Equal(1, outcome.Attempts);
        Assert.Single(MetallbInstalls());
        // The failure a user sees (the resource's Error property and the last line of its log) is this message.
        Assert.Equal(outcome.Message, _lab.Progress.Last(Step).Message);
        Assert.Contains("`helm upgrade --install metallb", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("not ready. status: InProgress", outcome.Message, StringComparison.Ordinal);
        Assert.Contains($"The pods of namespace {Namespace} say why: pod metallb-controller-", outcome.Message, StringComparison.Ordinal);
        foreach (var text in expected) Assert.Contains(text, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImagePullBackOff_fails_at_once_naming_the_image_and_the_pull_error()
    {
        var outcome = await RunWithAsync(new FakePodFault.ImagePullBackOff());

        AssertFailedOnceWith(outcome,
            "(container metallb-controller) (and 1 more pod the same): ",
            $"ImagePullBackOff: image \"{Image}\" cannot be pulled (Back-off pulling image \"{Image}\": ErrImagePull: rpc error: code = NotFound",
            "Hint: check the image name and tag");
    }

    [Fact]
    public async Task CrashLoopBackOff_fails_at_once_with_the_previous_containers_last_log_lines()
    {
        var log = string.Concat(Enumerable.Range(1, 14).Select(i => $"level=info msg=\"starting step {i}\"\n"))
            + "level=error msg=\"open /etc/metallb/config.yaml: no such file or directory\"\n";

        var outcome = await RunWithAsync(new FakePodFault.CrashLoopBackOff(1, log));

        AssertFailedOnceWith(outcome,
            "CrashLoopBackOff (restarted 4 times, last exit code 1 (Error)); last log lines: level=info msg=\"starting step 6\"",
            "| level=error msg=\"open /etc/metallb/config.yaml: no such file or directory\"",
            "Hint: the container exits at start");
        Assert.DoesNotContain("starting step 5\"", outcome.Message, StringComparison.Ordinal);
        Assert.Contains(Central.Requests, r => r.Path.EndsWith("/log", StringComparison.Ordinal)
            && r.Query.Contains("previous=true", StringComparison.Ordinal) && r.Query.Contains("tailLines=10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OOMKilled_fails_at_once_with_the_memory_limit()
    {
        var outcome = await RunWithAsync(new FakePodFault.OomKilled("64Mi"));

        AssertFailedOnceWith(outcome,
            "OOMKilled (exit code 137, restarted 4 times): it needs more than its memory limit of 64Mi",
            "Hint: raise the container's memory limit");
    }

    [Fact]
    public async Task A_pod_no_node_fits_fails_at_once_with_the_schedulers_message()
    {
        const string scheduler = "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";

        var outcome = await RunWithAsync(new FakePodFault.Unschedulable(scheduler));

        AssertFailedOnceWith(outcome, $"Pending, not scheduled: {scheduler}", "give Docker more memory or CPU");
    }

    [Fact]
    public async Task A_failing_readiness_probe_fails_at_once_with_the_probes_output()
    {
        var outcome = await RunWithAsync(new FakePodFault.ReadinessProbeFails("HTTP probe failed with statuscode: 503"));

        AssertFailedOnceWith(outcome, "running but not ready: Readiness probe failed: HTTP probe failed with statuscode: 503 (30 times)");
    }

    [Fact]
    public async Task A_never_ready_release_fails_when_its_ready_budget_is_spent_not_after_attempts_times_helms_wait()
    {
        var outcome = await RunWithAsync(new FakePodFault.ImagePullBackOff());

        // helm is given what is left of the budget, not the release's 5 min wait.
        Assert.Matches(new Regex(@"--wait --timeout [23]s$"), MetallbInstalls().Single().CommandLine);
        // Budget, then the diagnosis; the grace is a tenth of the budget, the rest is the fake tools' start-up.
        Assert.InRange(outcome.Duration, Budget - TimeSpan.FromSeconds(0.5), Budget + TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_release_still_not_ready_without_a_visible_cause_is_not_retried_once_its_budget_is_spent()
    {
        _lab.Toolbox.AfterClusterCreated("lgtm-central", api => api.HoldWorkloadsNotReady = true);

        var outcome = (await _lab.RunAsync())[Step];

        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Single(MetallbInstalls());
        Assert.Contains("context deadline exceeded", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("not retried: its ready budget of 3 s is spent; Lab:Retry:ReadyBudget sets it", outcome.Message, StringComparison.Ordinal);
        Assert.InRange(outcome.Duration, Budget - TimeSpan.FromSeconds(0.5), Budget + TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_release_lock_held_by_another_operation_is_transient_and_retried()
    {
        _lab.Toolbox.FailNext("^helm upgrade --install metallb .*kind-lgtm-central", times: 1, exitCode: 1, stderr: FakeToolErrors.HelmAnotherOperationInProgress);

        var outcome = (await _lab.RunAsync())[Step];

        Assert.Equal(StepStatus.Succeeded, outcome.Status);
        Assert.Equal(2, outcome.Attempts);
    }

    [Fact]
    public async Task A_webhook_not_ready_yet_is_transient_and_retried()
    {
        _lab.Toolbox.FailNext("^kubectl .*kind-lgtm-central.*apply", times: 1, exitCode: 1, stderr: FakeToolErrors.MetallbWebhookNotReady);

        var outcomes = await _lab.RunAsync();

        var pool = outcomes.Values.Single(o => o.StepId == "lgtm-central/metallb-pool");
        Assert.Equal(StepStatus.Succeeded, pool.Status);
        Assert.Equal(2, pool.Attempts);
    }
}

/// <summary>The default budgets of the lab's own plan: what a never-ready release costs a user before it shows Failed.</summary>
public sealed class DefaultReadyBudgetTests
{
    [Fact]
    public async Task Under_the_default_budget_a_never_ready_release_is_failed_after_5_min_not_25()
    {
        await using var lab = ContractLab.Create();
        using var controller = lab.Controller();

        var releases = controller.Plan.Graph.Steps.Where(s => s.ReadyBudget is not null).ToDictionary(s => s.Id, s => s.ReadyBudget!.Value);

        // Each release's wait timeout is its whole budget: one helm wait, then the diagnosis (tests above: under 1 s
        // beyond the budget with the fakes). Before, each of the 5 attempts waited the full timeout.
        Assert.Equal(TimeSpan.FromMinutes(5), releases["lgtm-central/metallb"]);
        Assert.Equal(TimeSpan.FromMinutes(5), releases["lgtm-remote/metallb"]);
        Assert.All(releases.Values, b => Assert.True(b <= TimeSpan.FromMinutes(10), $"{b}"));
        Assert.Null(lab.Configuration.GetSection("Lab:Retry:ReadyBudget").Value);
    }
}
