using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.Tests.Hosting;

public class LabResourceStatusTests
{
    private static StepOutcome Step(string id, StepStatus status, string? message = null) => new(id, "r", status, message, false, 0, TimeSpan.Zero);

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
    public void Deleted_and_stopped_last_until_the_engine_reports_again()
    {
        var store = new StepOutcomeStore([KeyValuePair.Create("a", "r"), KeyValuePair.Create("b", "r")]);
        store.Report(new StepProgress("a", "r", StepStatus.Succeeded));
        store.MarkDeleted(["a", "b"]);
        Assert.Equal(LabResourcePhase.Deleted, LabStatusProjection.Of(store, "r").Phase);
        Assert.Empty(store);

        store.Report(new StepProgress("a", "r", StepStatus.Running));
        Assert.Equal(LabResourcePhase.Starting, LabStatusProjection.Of(store, "r").Phase);

        store.MarkStopped("r", "Interrupted");
        var stopped = LabStatusProjection.Of(store, "r");
        Assert.Equal((LabResourcePhase.Failed, "hosting", "Interrupted"), (stopped.Phase, stopped.StepId, stopped.Message));
        // A step the stopped operation never got to (b was deleted) is not something a later run can build on.
        Assert.Empty(store.Finished());

        store.Report(new StepProgress("a", "r", StepStatus.Succeeded));
        Assert.Equal(LabResourcePhase.Running, LabStatusProjection.Of(store, "r").Phase);
        Assert.Equal(["a"], store.Finished().Keys);
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

    [Fact]
    public void A_running_resource_links_the_addresses_a_browser_here_can_open_but_not_in_cluster_ones()
    {
        var workload = new LabResource("lgtm-remote-tns", "lgtm-remote", "Project", new Dictionary<string, string>
        {
            ["otlp"] = "http://alloy.observability.svc.cluster.local:4317",
            ["Grafana"] = "http://127.0.0.1:3000/",
        });
        var running = new LabResourceStatus(LabResourcePhase.Running, null, null, 1, 1);

        var snapshot = LabSnapshots.Apply(LabSnapshots.Initial(workload), workload, running);

        Assert.Equal(["http://127.0.0.1:3000/"], snapshot.Urls.Select(u => u.Url));
        Assert.Contains(snapshot.Properties, p => p.Name == "lab.otlp" && Equals(p.Value, "http://alloy.observability.svc.cluster.local:4317"));
    }
}
