using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.Tests.Engine;

public class StepGraphTests
{
    [Fact]
    public void Steps_come_after_their_dependencies()
    {
        var graph = new StepGraph([new ScriptedStep("c/pool", "c/lb"), new ScriptedStep("c/lb", "c/cluster"), new ScriptedStep("c/cluster")]);

        Assert.Equal(["c/cluster", "c/lb", "c/pool"], graph.Steps.Select(s => s.Id));
    }

    [Fact]
    public void A_cycle_is_rejected_and_named()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new StepGraph([new ScriptedStep("a", "b"), new ScriptedStep("b", "c"), new ScriptedStep("c", "a")]));

        Assert.Contains("a -> b -> c -> a", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_dependency_is_rejected()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new StepGraph([new ScriptedStep("a", "missing")]));
        Assert.Contains("'missing'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_are_rejected() =>
        Assert.Throws<InvalidOperationException>(() => new StepGraph([new ScriptedStep("a"), new ScriptedStep("a")]));

    [Fact]
    public void Downstream_holds_every_transitive_dependent()
    {
        var graph = new StepGraph([new ScriptedStep("x"), new ScriptedStep("a"), new ScriptedStep("b", "a"), new ScriptedStep("c", "b", "x"), new ScriptedStep("d", "x")]);

        Assert.Equal(["a", "b", "c"], graph.Downstream(["a"]).Order());
    }

    [Fact]
    public void The_critical_path_is_the_chain_with_the_longest_total_duration_not_the_most_steps()
    {
        // cluster -> (routes | metallb -> pool) -> app; routes alone is slower than metallb + pool
        var graph = new StepGraph([new ScriptedStep("cluster"), new ScriptedStep("routes", "cluster"), new ScriptedStep("metallb", "cluster"),
            new ScriptedStep("pool", "metallb"), new ScriptedStep("app", "routes", "pool"), new ScriptedStep("other")]);
        var durations = new Dictionary<string, TimeSpan>
        {
            ["cluster"] = TimeSpan.FromSeconds(60), ["routes"] = TimeSpan.FromSeconds(40), ["metallb"] = TimeSpan.FromSeconds(30),
            ["pool"] = TimeSpan.FromSeconds(2), ["app"] = TimeSpan.FromSeconds(5), ["other"] = TimeSpan.FromSeconds(100),
        };

        Assert.Equal(["cluster", "routes", "app"], graph.CriticalPath(durations));

        durations["pool"] = TimeSpan.FromSeconds(20);
        Assert.Equal(["cluster", "metallb", "pool", "app"], graph.CriticalPath(durations));
    }

    [Fact]
    public void A_step_without_a_measured_duration_takes_no_time_on_the_critical_path()
    {
        var graph = new StepGraph([new ScriptedStep("a"), new ScriptedStep("b", "a"), new ScriptedStep("c")]);

        Assert.Equal(["c"], graph.CriticalPath(new Dictionary<string, TimeSpan> { ["c"] = TimeSpan.FromSeconds(1) }));
        Assert.Empty(new StepGraph([]).CriticalPath(new Dictionary<string, TimeSpan>()));
    }
}
