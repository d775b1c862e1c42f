using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Engine;

namespace LgtmLab.Tests.Lgtm;

/// <summary>The LGTM part's place in the plan: what it waits for from the mesh, its resources and what they show.</summary>
public sealed class LgtmPlanTests : IAsyncLifetime
{
    private LgtmContractLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = LgtmContractLab.Create(linkerd: true);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    /// <summary>Stands in for the mesh part: a control plane per cluster, a link per remote.</summary>
    private sealed class MeshStandIn : ILabPlanContribution
    {
        public void AddTo(LabPlanBuilder plan)
        {
            foreach (var cluster in plan.Topology.Clusters)
            {
                plan.AddStep(new ScriptedStep(StepIds.Release(cluster.Name, "linkerd-control-plane"), StepIds.Cluster(cluster.Name)) { Resource = $"{cluster.Name}-linkerd" })
                    .AddResource(new LabResource($"{cluster.Name}-linkerd", cluster.Name, "HelmRelease", new Dictionary<string, string>()));
                if (cluster.Index == 0) continue;
                plan.AddStep(new ScriptedStep(StepIds.Link(cluster.Name), StepIds.Release(cluster.Name, "linkerd-control-plane")) { Resource = $"{cluster.Name}-link" })
                    .AddResource(new LabResource($"{cluster.Name}-link", cluster.Name, "Link", new Dictionary<string, string>()));
            }
        }
    }

    private LabController Controller(params ILabPlanContribution[] contributions) =>
        LabController.FromConfiguration(_lab.Lab.Configuration, _lab.Options with { Contributions = contributions });

    [Fact]
    public void After_the_mesh_namespaces_wait_for_linkerd_and_remote_agents_for_the_link()
    {
        using var controller = Controller(new MeshStandIn(), new LgtmContribution());
        var graph = controller.Plan.Graph;
        IReadOnlyList<string> DependsOn(string id) => graph.Steps.Single(s => s.Id == id).DependsOn;

        Assert.Contains("lgtm-central/linkerd-control-plane", DependsOn("lgtm-central/namespaces"));
        Assert.Contains("lgtm-remote/linkerd-control-plane", DependsOn("lgtm-remote/namespaces"));
        Assert.Contains("lgtm-remote/link", DependsOn("lgtm-remote/prometheus"));
        Assert.Contains("lgtm-remote/link", DependsOn("lgtm-remote/alloy"));
        Assert.DoesNotContain(DependsOn("lgtm-central/prometheus"), d => d.EndsWith("/link", StringComparison.Ordinal));
        Assert.Contains("lgtm-central/metallb-pool", DependsOn("lgtm-central/traefik"));
        Assert.Contains("lgtm-central/grafana-secrets", DependsOn("lgtm-central/grafana"));
        Assert.Equal(["lgtm-central/mimir-config"], DependsOn("lgtm-central/mimir"));
    }

    [Fact]
    public void Without_the_mesh_it_depends_only_on_its_own_and_the_engines_steps()
    {
        using var controller = Controller(new LgtmContribution());

        Assert.Equal(["lgtm-central/cluster"], controller.Plan.Graph.Steps.Single(s => s.Id == "lgtm-central/namespaces").DependsOn);
        Assert.Equal(["lgtm-remote/namespaces"], controller.Plan.Graph.Steps.Single(s => s.Id == "lgtm-remote/prometheus").DependsOn);
    }

    [Fact]
    public void With_lgtm_off_it_adds_nothing()
    {
        _lab.Lab.Set("Lab:Components:Lgtm", "false");
        using var without = Controller();
        using var with = Controller(new LgtmContribution());

        Assert.Equal(without.Plan.Graph.Steps.Select(s => s.Id), with.Plan.Graph.Steps.Select(s => s.Id));
        Assert.Equal(without.Resources.Select(r => r.Name), with.Resources.Select(r => r.Name));
    }

    [Fact]
    public void Grafana_shows_both_urls_and_where_the_password_lives_never_the_password()
    {
        using var controller = Controller(new LgtmContribution());
        var grafana = controller.Resources.Single(r => r.Name == "lgtm-central-grafana");
        var port = _lab.Lab.Configuration["Lab:Central:HostPorts:http"];

        Assert.Equal("lgtm-central", grafana.Parent);
        Assert.Equal("https://grafana.example.com", grafana.Properties["url"]);
        Assert.Equal($"http://localhost:{port}", grafana.Properties["localUrl"]);
        Assert.Contains(GrafanaAccess.AdminPasswordParameter, grafana.Properties["adminPassword"], StringComparison.Ordinal);
        Assert.DoesNotContain(grafana.Properties.Values, v => v.Contains(_lab.Password, StringComparison.Ordinal));
        Assert.Equal(["grafana", "12.11.1", "observability"], [grafana.Properties["chart"], grafana.Properties["version"], grafana.Properties["namespace"]]);
        Assert.NotNull(grafana.Probe);
    }

    [Fact]
    public void Every_component_is_a_child_of_its_cluster_with_chart_namespace_tenant_and_values()
    {
        using var controller = Controller(new LgtmContribution());
        var resources = controller.Resources.ToDictionary(r => r.Name);

        Assert.Equal("central", resources["lgtm-central-prometheus"].Properties["tenant"]);
        Assert.Equal("lgtm-remote", resources["lgtm-remote-alloy"].Properties["tenant"]);
        Assert.Equal("all (central, lgtm-remote)", resources["lgtm-central-loki"].Properties["tenant"]);
        Assert.Equal("lab-assets/helm/loki.yaml", resources["lgtm-central-loki"].Properties["values"]);
        Assert.StartsWith("lab-assets/helm/prometheus.yaml, lab-assets/helm/overlays/remote/prometheus.yaml, ", resources["lgtm-remote-prometheus"].Properties["values"], StringComparison.Ordinal);
        Assert.Contains("mimir-lgtm-central.mimir.svc.cluster.local", resources["lgtm-central-mimir"].Properties["exported"], StringComparison.Ordinal);
        Assert.Equal("lgtm-remote", resources["lgtm-remote-namespaces"].Parent);
        Assert.Equal("observability, mimir, loki, tempo", resources["lgtm-remote-namespaces"].Properties["meshed"]);
    }
}
