using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Workloads;
using LgtmLab.Tests.Engine;

namespace LgtmLab.Tests.Workloads;

/// <summary>The default lab still gets TNS, now as a project workload, and only while <c>Lab:Components:Tns</c> is on.</summary>
public sealed class DefaultLabTnsTests : IAsyncLifetime
{
    private ContractLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = ContractLab.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public void The_default_contributions_plan_TNS_as_a_project_workload_after_Linkerd_and_Alloy()
    {
        using var controller = LabController.FromConfiguration(_lab.Configuration, _lab.Options with { Contributions = LabContributions.Default });

        var image = Assert.IsType<ProjectImageStep>(controller.Plan.Graph.Steps.Single(s => s.Id == "lgtm-remote/tns-image"));
        Assert.StartsWith("lgtmlab/tns:", image.Image.Reference, StringComparison.Ordinal);
        Assert.EndsWith("LgtmLab.TnsSample.csproj", image.Image.Source.Project, StringComparison.Ordinal);
        Assert.Equal(["lgtm-remote/tns-image", "lgtm-remote/alloy", "lgtm-remote/linkerd-control-plane"],
            controller.Plan.Graph.Steps.Single(s => s.Id == "lgtm-remote/tns").DependsOn);
        Assert.Equal("lab-assets/manifests/tns/tns.yaml", controller.Resources.Single(r => r.Name == "lgtm-remote-tns").Properties["manifest"]);
    }

    [Fact]
    public void Without_TNS_the_default_contributions_plan_no_TNS_step()
    {
        _lab.Set("Lab:Components:Tns", "false");
        using var controller = LabController.FromConfiguration(_lab.Configuration, _lab.Options with { Contributions = LabContributions.Default });

        Assert.DoesNotContain(controller.Plan.Graph.Steps, s => s.Id.StartsWith("lgtm-remote/tns", StringComparison.Ordinal));
    }
}
