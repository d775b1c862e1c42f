using System.Reflection;
using LgtmLab.AppHost.Mesh;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;
using LgtmLab.Tests.Mesh;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Engine;

/// <summary>
/// Issue 12 item 5: a step is an immutable spec. Nothing it found in Check is kept for Apply, so Apply on a fresh
/// instance (a Retry, another process, an engine that skips Check) does what it would have done after Check, and
/// the fingerprint does not depend on which phases ran.
/// </summary>
public sealed class StepsCarryNoStateTests : IAsyncLifetime
{
    private MeshLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = MeshLab.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private static StepContext Context() => new(NullLogger.Instance, CancellationToken.None);

    [Fact]
    public void No_step_has_a_field_that_a_phase_could_set()
    {
        var steps = typeof(Step).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Step)) && !t.IsAbstract).ToList();
        Assert.Contains(typeof(HelmReleaseStep), steps);

        // readonly fields (and init-only properties' backing fields) only; the captured parameters of a primary
        // constructor (<name>P) are never assigned by the lab's steps.
        var mutable = steps
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(f => !f.IsInitOnly && !f.Name.EndsWith(">P", StringComparison.Ordinal))
                .Select(f => $"{t.Name}.{f.Name}"))
            .ToList();

        Assert.Empty(mutable);
    }

    [Fact]
    public async Task Apply_on_a_fresh_routes_step_restores_the_routes_a_restarted_node_lost_without_a_check_first()
    {
        MeshLab.AllSucceeded(await _lab.RunAsync());
        var node = _lab.Central.ControlPlane;
        var routes = node.Routes;
        Assert.NotEmpty(routes);
        lock (node.RoutesVia) node.RoutesVia.Clear();

        using var controller = _lab.Controller();
        var step = controller.Plan.Graph[StepIds.Routes("lgtm-central")];
        await step.ApplyAsync(Context());

        Assert.Equal(routes, node.Routes);
        Assert.True(await step.CheckAsync(Context()));
    }

    [Fact]
    public async Task The_links_fingerprint_is_the_same_whether_or_not_check_ran_and_apply_alone_makes_the_link()
    {
        MeshLab.AllSucceeded(await _lab.RunAsync());
        using var controller = _lab.Controller();
        var step = controller.Plan.Graph[StepIds.Link("lgtm-remote")];
        var recorded = (string?)_lab.Remote.Api!.Get("v1", "ConfigMap", "kube-system", "lgtmlab-state")?["data"]?[StepIds.Link("lgtm-remote").Replace('/', '.')];

        var fresh = step.Fingerprint;
        Assert.True(await step.CheckAsync(Context()));
        Assert.Equal(fresh, step.Fingerprint);
        Assert.Equal(recorded, fresh);

        await _lab.Toolbox.RunAsync("kubectl", "--context", "kind-lgtm-remote", "-n", LinkerdNames.MulticlusterNamespace, "delete", "link", "lgtm-central");
        Assert.False(await step.CheckAsync(Context()));
        using var another = _lab.Controller();
        var freshStep = another.Plan.Graph[StepIds.Link("lgtm-remote")];
        await freshStep.ApplyAsync(Context());
        await freshStep.VerifyAsync(Context());
        Assert.True(await freshStep.CheckAsync(Context()));
    }
}
