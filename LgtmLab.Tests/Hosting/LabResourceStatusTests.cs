using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.Tests.Hosting;

public class LabResourceStatusTests
{
    private static StepProgress Step(string id, StepStatus status, string? message = null) => new(id, "r", status, message);

    [Fact]
    public void No_steps_reported_is_not_started()
    {
        Assert.Equal(LabResourcePhase.NotStarted, LabResourceStatus.Summarize([]).Phase);
    }

    [Fact]
    public void Runs_only_when_every_step_succeeded()
    {
        var status = LabResourceStatus.Summarize([Step("a", StepStatus.Succeeded), Step("b", StepStatus.Succeeded)]);
        Assert.Equal(LabResourcePhase.Running, status.Phase);
        Assert.Equal((2, 2), (status.Succeeded, status.Total));

        Assert.Equal(LabResourcePhase.Waiting,
            LabResourceStatus.Summarize([Step("a", StepStatus.Succeeded), Step("b", StepStatus.Waiting, "Waiting on x")]).Phase);
    }

    [Fact]
    public void A_failure_wins_and_carries_its_step_and_message()
    {
        var status = LabResourceStatus.Summarize(
        [
            Step("a", StepStatus.Running),
            Step("b", StepStatus.Failed, "helm exited with 1"),
            Step("c", StepStatus.Blocked, "Waiting on b"),
        ]);
        Assert.Equal(LabResourcePhase.Failed, status.Phase);
        Assert.Equal("b", status.StepId);
        Assert.Equal("helm exited with 1", status.Message);
    }

    [Fact]
    public void Running_wins_over_blocked_and_blocked_over_waiting()
    {
        Assert.Equal(LabResourcePhase.Starting,
            LabResourceStatus.Summarize([Step("a", StepStatus.Blocked), Step("b", StepStatus.Running)]).Phase);
        var blocked = LabResourceStatus.Summarize([Step("a", StepStatus.Waiting), Step("b", StepStatus.Blocked, "Waiting on x")]);
        Assert.Equal(LabResourcePhase.Blocked, blocked.Phase);
        Assert.Equal("Waiting on x", blocked.Message);
    }

    [Fact]
    public void Board_overrides_last_until_the_engine_reports_again()
    {
        var board = new LabStatusBoard();
        board.Record(new StepProgress("a", "r", StepStatus.Succeeded));
        board.MarkDeleted("r");
        Assert.Equal(LabResourcePhase.Deleted, board.StatusOf("r").Phase);

        board.Record(new StepProgress("a", "r", StepStatus.Running));
        Assert.Equal(LabResourcePhase.Starting, board.StatusOf("r").Phase);

        board.MarkFailed("r", "Interrupted");
        Assert.Equal(("hosting", "Interrupted"), (board.StatusOf("r").StepId, board.StatusOf("r").Message));
        board.Reset("r");
        Assert.Equal(LabResourcePhase.NotStarted, board.StatusOf("r").Phase);
    }
}

public class LabSnapshotsTests
{
    [Theory]
    [InlineData("podSubnet", "Pod subnet")]
    [InlineData("kindVersion", "Kind version")]
    [InlineData("chart", "Chart")]
    [InlineData("Node image", "Node image")]
    public void Engine_property_keys_read_as_labels(string key, string label) => Assert.Equal(label, LabSnapshots.Humanize(key));
}
