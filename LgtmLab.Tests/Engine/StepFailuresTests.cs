using System.Net;
using k8s.Autorest;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;
using Polly.Timeout;

namespace LgtmLab.Tests.Engine;

public class StepFailuresTests
{
    private static ToolResult Stderr(params string[] lines) => new(1, [], lines, TimeSpan.Zero);

    [Theory]
    [InlineData("Error: another operation (install/upgrade/rollback) is in progress", true)]
    [InlineData("Error from server (InternalError): Internal error occurred: failed calling webhook \"ipaddresspoolvalidationwebhook.metallb.io\": connect: connection refused", true)]
    [InlineData("The connection to the server 127.0.0.1:33445 was refused - did you specify the right host or port?", true)]
    [InlineData("Error: INSTALLATION FAILED: context deadline exceeded", true)]
    [InlineData("Error: unknown flag: --wiat", false)]
    [InlineData("ERROR: failed to create cluster: node(s) already exist for a cluster with the name \"lgtm-central\"", false)]
    public void Tool_failures_are_transient_only_when_time_can_fix_them(string stderr, bool transient) =>
        Assert.Equal(transient, TransientToolErrors.IsTransient(Stderr(stderr)));

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.Conflict, true)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    public void Api_errors_are_transient_for_overload_and_conflicts(HttpStatusCode status, bool transient)
    {
        var e = new HttpOperationException("x") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(status), "") };
        Assert.Equal(transient, StepFailures.IsTransient(e));
    }

    [Fact]
    public void Unreachable_api_servers_timeouts_and_not_ready_conditions_are_transient()
    {
        Assert.True(StepFailures.IsTransient(new HttpRequestException("Connection refused (127.0.0.1:6443)")));
        Assert.True(StepFailures.IsTransient(new TimeoutRejectedException()));
        Assert.True(StepFailures.IsTransient(new TransientStepException("no address yet")));
        Assert.False(StepFailures.IsTransient(new StepFailedException("changed", "recreate")));
        Assert.False(StepFailures.IsTransient(new InvalidDataException("bad template")));
    }

    [Fact]
    public void The_failure_message_keeps_the_last_stderr_lines_and_a_hint()
    {
        var lines = Enumerable.Range(1, 8).Select(i => $"line {i}").ToArray();
        var e = new ToolFailedException("kind create cluster --name x", Stderr(lines), isTransient: false);

        var message = StepFailures.Describe(new ScriptedStep("x/cluster"), e);

        Assert.StartsWith("`kind create cluster --name x` failed (exit 1): line 4 | line 5 | line 6 | line 7 | line 8. Hint: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 3", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_failed_exception_carries_its_own_hint() =>
        Assert.Equal("configuration of cluster x changed: run the Recreate command. Hint: use Recreate",
            StepFailures.Describe(new ScriptedStep("x/cluster"), new StepFailedException("configuration of cluster x changed: run the Recreate command", "use Recreate")));
}
