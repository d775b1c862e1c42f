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
}
