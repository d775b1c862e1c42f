using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;

namespace LgtmLab.Tests.Engine;

/// <summary>A step that gets its job done only in part (a dashboard not downloaded) succeeds with a warning:
/// its dependents run, and the warning of its last attempt is what the run reports.</summary>
public sealed class StepWarningTests
{
    private static readonly RetryOptions FastRetry = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task A_warning_keeps_the_step_succeeded_lets_its_dependents_run_and_is_reported()
    {
        var warns = new WarningStep("central/grafana-dashboards", attempt => attempt == 1 ? "dashboard not provisioned: Linkerd/pod (404)" : null);
        var release = new ScriptedStep("central/grafana", "central/grafana-dashboards");
        var progress = new RecordingProgress();

        var run = await new LabEngine(new InMemoryStateStore(), FastRetry).RunAsync(new StepGraph([warns, release]), progress, Loggers.None, CancellationToken.None);

        Assert.True(run.Succeeded);
        Assert.Equal("dashboard not provisioned: Linkerd/pod (404)", run.Outcomes[warns.Id].Warning);
        Assert.Equal(1, release.Applies);
        Assert.Equal("dashboard not provisioned: Linkerd/pod (404)", progress.Last(warns.Id).Warning);
        Assert.Null(run.Outcomes[release.Id].Warning);
    }

    [Fact]
    public async Task Only_the_last_attempts_warnings_count()
    {
        var warns = new WarningStep("central/grafana-dashboards", attempt => attempt == 1 ? "could not reach grafana.com" : null) { FailFirstAttempt = true };

        var run = await new LabEngine(new InMemoryStateStore(), FastRetry).RunAsync(new StepGraph([warns]), new RecordingProgress(), Loggers.None, CancellationToken.None);

        Assert.True(run.Succeeded);
        Assert.Equal(2, run.Outcomes[warns.Id].Attempts);
        Assert.Null(run.Outcomes[warns.Id].Warning);
    }

    private sealed class WarningStep(string id, Func<int, string?> warningOfAttempt) : Step
    {
        private int _attempt;

        public bool FailFirstAttempt { get; init; }
        public override string Id => id;
        public override string ResourceName => id.Replace('/', '-');
        public override string Fingerprint => "fp";

        public override Task<bool> CheckAsync(StepContext context)
        {
            _attempt++;
            if (warningOfAttempt(_attempt) is { } warning)
                context.Warnings.Add(warning);
            if (FailFirstAttempt && _attempt == 1)
                throw new ToolFailedException("kubectl get", new ToolResult(1, [], ["connection refused"], TimeSpan.Zero), isTransient: true);
            return Task.FromResult(false);
        }

        public override Task ApplyAsync(StepContext context) => Task.CompletedTask;
    }
}
