using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Mesh;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tns;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Lgtm;

/// <summary>The default lab (mesh, LGTM, TNS; central + one remote) on the fake tools: order between the parts, and convergence.</summary>
public sealed class WholeLabContractTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LgtmContractLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = LgtmContractLab.Create(linkerd: true);
        var source = Path.Combine(_lab.Toolbox.Root, "checkout");
        var project = Directory.CreateDirectory(Path.Combine(source, TnsSampleSource.ProjectFolder)).FullName;
        File.WriteAllText(Path.Combine(project, TnsSampleSource.ProjectFile), "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />\n");
        File.WriteAllText(Path.Combine(project, "Program.cs"), "// version 1\n");
        _lab.Contributions = [new MeshContribution(), new LgtmContribution(), new TnsContribution(new TnsSampleSource(source))];
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task The_default_lab_installs_lgtm_after_linkerd_and_the_link_and_a_warm_run_changes_nothing()
    {
        var cold = await _lab.RunAsync();

        LgtmContractLab.AllSucceeded(cold);
        var reports = _lab.Progress.Reports;
        int Done(string id) => reports.ToList().FindIndex(r => r.StepId == id && r.Status == StepStatus.Succeeded);
        int Started(string id) => reports.ToList().FindIndex(r => r.StepId == id && r.Status == StepStatus.Running);
        void After(string step, string dependency) =>
            Assert.True(Done(dependency) >= 0 && Started(step) > Done(dependency), $"{step} started before {dependency} succeeded");
        After("lgtm-central/namespaces", "lgtm-central/linkerd-control-plane");
        After("lgtm-remote/namespaces", "lgtm-remote/linkerd-control-plane");
        After("lgtm-remote/prometheus", "lgtm-remote/link");
        After("lgtm-remote/alloy", "lgtm-remote/link");
        After("lgtm-remote/tns", "lgtm-remote/alloy");
        Assert.Equal("enabled", (string?)_lab.Toolbox.Cluster("lgtm-remote")!.Api!.Get("v1", "Namespace", null, "observability")!["metadata"]!["annotations"]!["linkerd.io/inject"]);
        var coldCommands = _lab.Toolbox.Invocations.Count;
        var coldMutating = _lab.Toolbox.Mutating.Count;

        using (var controller = _lab.Controller())
            foreach (var resource in controller.Resources.Where(r => r.Probe is not null && (r.Name.EndsWith("-prometheus", StringComparison.Ordinal) || r.Name.StartsWith("lgtm-central-", StringComparison.Ordinal))))
            {
                var probe = await resource.Probe!(CancellationToken.None);
                Assert.True(probe.Healthy, $"{resource.Name}: {probe.Description}");
            }

        _lab.Toolbox.ClearJournal();
        var start = DateTimeOffset.UtcNow;
        var warm = await _lab.RunAsync();

        LgtmContractLab.AllSucceeded(warm);
        Assert.Empty(_lab.Toolbox.Mutating);
        Assert.All(_lab.Toolbox.Clusters, c => Assert.DoesNotContain(c.Api!.MutatingRequests, r => r.At >= start));
        output.WriteLine($"default lab (mesh, LGTM, TNS): cold run {coldCommands} commands ({coldMutating} mutating) in {cold.Count} steps; " +
            $"warm run {_lab.Toolbox.Invocations.Count} commands (0 mutating)");
    }
}
