using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.DependencyInjection;

namespace LgtmLab.Tests.Hosting;

/// <summary>
/// Program.cs's verbs build the resource tree without touching anything, configuration still decides the lab,
/// and when the app starts the engine's plan describes exactly the resources the verbs added.
/// </summary>
public sealed class LabCompositionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lgtmlab-compose-").FullName;

    private string StateDirectory => Path.Combine(_root, "state");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (IDistributedApplicationBuilder Builder, KindLabResource Lab) Compose(params string[] settings)
    {
        var builder = DistributedApplication.CreateBuilder([$"--Lab:StateDirectory={StateDirectory}", $"--Lab:Kubeconfig={Path.Combine(_root, "kubeconfig")}", .. settings]);
        var lab = builder.AddLab("lgtm");
        var central = lab.AddCentral().WithLgtmStack();
        foreach (var remote in lab.AddRemotes())
            remote.LinkTo(central).WithTns();
        return (builder, lab.Resource);
    }

    private static string? ParentOf(IResource resource) =>
        resource.Annotations.OfType<ResourceRelationshipAnnotation>().SingleOrDefault(r => r.Type == "Parent")?.Resource.Name;

    private static IEnumerable<string> Targets(IDistributedApplicationBuilder builder, string name, string type) =>
        builder.Resources.Single(r => r.Name == name).Annotations.OfType<ResourceRelationshipAnnotation>()
            .Where(r => r.Type == type).Select(r => r.Resource.Name);

    [Fact]
    public void The_default_composition_is_a_tree_of_lab_clusters_and_their_parts()
    {
        var (builder, _) = Compose();

        var lab = builder.Resources.OfType<KindLabResource>().Single();
        Assert.Equal("lgtm", lab.Name);
        Assert.Equal(["lgtm-central", "lgtm-remote"], lab.Clusters.Select(c => c.Name));
        Assert.All(lab.Clusters, c => Assert.Equal("lgtm", ParentOf(c)));
        var components = builder.Resources.OfType<LabComponentResource>().ToList();
        Assert.All(components, c => Assert.Equal(c.Cluster.Name, ParentOf(c)));
        Assert.Equal(
            ["lgtm-central-alloy", "lgtm-central-grafana", "lgtm-central-linkerd", "lgtm-central-linkerd-multicluster", "lgtm-central-linkerd-viz",
             "lgtm-central-loki", "lgtm-central-metallb", "lgtm-central-mimir", "lgtm-central-namespaces", "lgtm-central-prometheus",
             "lgtm-central-routes", "lgtm-central-tempo", "lgtm-central-traefik"],
            components.Where(c => c.Cluster.Name == "lgtm-central").Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["lgtm-remote-alloy", "lgtm-remote-link", "lgtm-remote-linkerd", "lgtm-remote-linkerd-multicluster", "lgtm-remote-linkerd-viz",
             "lgtm-remote-metallb", "lgtm-remote-namespaces", "lgtm-remote-prometheus", "lgtm-remote-routes", "lgtm-remote-tns"],
            components.Where(c => c.Cluster.Name == "lgtm-remote").Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_graph_shows_the_telemetry_flowing_from_the_remote_through_the_link_to_central()
    {
        var (builder, _) = Compose();
        const string Telemetry = LabPartsBuilderExtensions.TelemetryRelationship;

        Assert.Equal(["lgtm-remote-link"], Targets(builder, "lgtm-remote-prometheus", Telemetry));
        Assert.Equal(["lgtm-remote-link"], Targets(builder, "lgtm-remote-alloy", Telemetry));
        Assert.Equal(["lgtm-remote-alloy"], Targets(builder, "lgtm-remote-tns", Telemetry));
        Assert.Equal(["lgtm-central-loki", "lgtm-central-mimir", "lgtm-central-tempo"], Targets(builder, "lgtm-remote-link", Telemetry).Order(StringComparer.Ordinal));
        Assert.Equal(["lgtm-central"], Targets(builder, "lgtm-remote-link", "Target"));
    }

    [Theory]
    [InlineData("--Lab:Components:Linkerd=false", "lgtm-remote-link", "lgtm-central-linkerd")]
    [InlineData("--Lab:Components:Lgtm=false", "lgtm-central-grafana", "lgtm-remote-alloy")]
    [InlineData("--Lab:Components:Tns=false", "lgtm-remote-tns", "lgtm-remote-tns")]
    [InlineData("--Lab:Components:MetalLb=false", "lgtm-central-metallb", "lgtm-remote-metallb")]
    public void A_component_switched_off_in_configuration_adds_none_of_its_resources(string setting, string absent, string alsoAbsent)
    {
        var (builder, _) = Compose(setting);

        Assert.DoesNotContain(builder.Resources, r => r.Name == absent || r.Name == alsoAbsent);
        Assert.Contains(builder.Resources, r => r.Name == "lgtm-remote-routes");
    }

    [Fact]
    public void Remotes_names_and_the_central_name_come_from_configuration()
    {
        var (builder, lab) = Compose("--Lab:Central:Name=hub", "--Lab:Remotes:0:Name=team-a", "--Lab:Remotes:1:Name=team-b", "--Lab:Remotes:1:Tenant=b");

        Assert.Equal(["hub", "team-a", "team-b"], lab.Clusters.Select(c => c.Name));
        Assert.Contains(builder.Resources, r => r.Name == "team-b-link");
        Assert.Contains(builder.Resources, r => r.Name == "team-b-alloy");
    }

    [Fact]
    public void Building_the_app_model_reads_writes_and_starts_nothing()
    {
        var (builder, _) = Compose("--Lab:AssetsDirectory=" + Path.Combine(_root, "no-such-assets"));

        using var app = builder.Build();

        // A missing lab-assets folder would fail the controller: it is only built when the app starts.
        Assert.False(Directory.Exists(StateDirectory));
        Assert.Equal([], Directory.GetFileSystemEntries(_root));
        Assert.False(app.Services.GetRequiredService<LabModel>().IsBound);
    }

    [Theory]
    [InlineData()]
    [InlineData("--Lab:Remotes:0:Name=team-a", "--Lab:Remotes:1:Name=team-b")]
    [InlineData("--Lab:Components:Linkerd=false")]
    [InlineData("--Lab:Components:Lgtm=false")]
    [InlineData("--Lab:Components:Tns=false")]
    [InlineData("--Lab:Components:MetalLb=false", "--Lab:Components:Linkerd=false")]
    public void At_start_the_engines_plan_names_exactly_the_resources_the_verbs_added(params string[] settings)
    {
        var (builder, lab) = Compose(settings);
        using var app = builder.Build();
        var model = app.Services.GetRequiredService<LabModel>();

        using var controller = (LabController)model.ControllerFactory(model);
        model.Bind(controller, new LgtmLab.AppHost.Provisioning.LabResource(lab.Name, null, "KindLab", new Dictionary<string, string>()));

        Assert.Equal(
            builder.Resources.Where(r => r is KindClusterResource or LabComponentResource).Select(r => r.Name).Order(StringComparer.Ordinal),
            controller.Resources.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(model.Provisioned, r => Assert.NotNull(model.DefinitionOf(r.Name)));
    }

    [Fact]
    public void A_users_chart_manifests_and_project_are_planned_with_the_same_steps_as_the_labs_own()
    {
        var manifests = Directory.CreateDirectory(Path.Combine(_root, "manifests")).FullName;
        File.WriteAllText(Path.Combine(manifests, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\n  namespace: default\n");
        var values = Path.Combine(_root, "podinfo.yaml");
        File.WriteAllText(values, "replicaCount: 1\n");
        var (builder, lab) = Compose();
        var remote = builder.CreateResourceBuilder(lab.Clusters.Single(c => c.Name == "lgtm-remote"));
        var chart = remote.WithHelmRelease("podinfo", "podinfo", "6.9.2", "https://stefanprodan.github.io/podinfo", valuesFiles: values);
        remote.WithManifests("hello", manifests);
        var project = remote.WithProject<Projects.LgtmLab_TnsSample>("news");
        Assert.Equal("lgtm-remote", ParentOf(chart.Resource));
        Assert.Equal(["lgtm-remote-alloy"], Targets(builder, project.Resource.Name, LabPartsBuilderExtensions.TelemetryRelationship));

        using var app = builder.Build();
        var model = app.Services.GetRequiredService<LabModel>();
        using var controller = (LabController)model.ControllerFactory(model);
        model.Bind(controller, new LgtmLab.AppHost.Provisioning.LabResource(lab.Name, null, "KindLab", new Dictionary<string, string>()));

        string StepTypeOf(string resource) => string.Join(",", controller.Plan.Graph.Steps.Where(s => s.ResourceName == resource).Select(s => s.GetType().Name));
        Assert.Equal(StepTypeOf("lgtm-remote-metallb").Split(',')[0], StepTypeOf("lgtm-remote-podinfo"));
        Assert.Equal(StepTypeOf("lgtm-remote-tns"), StepTypeOf("lgtm-remote-news"));
        Assert.Equal("HelmRelease", model.DefinitionOf("lgtm-remote-podinfo")!.Kind);
        Assert.Equal("6.9.2", model.DefinitionOf("lgtm-remote-podinfo")!.Properties["version"]);
        Assert.NotNull(model.DefinitionOf("lgtm-remote-hello")!.Probe);
    }

    [Fact]
    public void A_remote_left_unlinked_while_Linkerd_is_on_is_refused_at_start_with_the_fix()
    {
        var builder = DistributedApplication.CreateBuilder([$"--Lab:StateDirectory={StateDirectory}"]);
        var lab = builder.AddLab();
        var central = lab.AddCentral().WithLgtmStack();
        lab.AddRemote("lgtm-remote").LinkTo(central);
        lab.AddRemote("lonely");
        using var app = builder.Build();
        var model = app.Services.GetRequiredService<LabModel>();

        using var controller = (LabController)model.ControllerFactory(model);
        var error = Assert.Throws<InvalidOperationException>(() =>
            model.Bind(controller, new LgtmLab.AppHost.Provisioning.LabResource("lgtm", null, "KindLab", new Dictionary<string, string>())));

        Assert.Contains("lonely-link", error.Message);
        Assert.Contains("remote.LinkTo(central)", error.Message);
    }

    [Fact]
    public void Verbs_in_the_wrong_place_say_what_goes_where()
    {
        var builder = DistributedApplication.CreateBuilder([$"--Lab:StateDirectory={StateDirectory}"]);
        var lab = builder.AddLab();
        Assert.Contains("AddCentral() first", Assert.Throws<InvalidOperationException>(() => lab.AddRemote("early")).Message);
        var central = lab.AddCentral();
        var remote = lab.AddRemote("lgtm-remote");
        Assert.Contains("central cluster", Assert.Throws<InvalidOperationException>(() => remote.WithLgtmStack()).Message);
        Assert.Contains("remote cluster", Assert.Throws<InvalidOperationException>(() => central.WithTns()).Message);
        Assert.Contains("one", Assert.Throws<InvalidOperationException>(() => lab.AddCentral("second")).Message);
        Assert.Contains("already has a resource named 'lgtm-remote'", Assert.Throws<InvalidOperationException>(() => lab.AddRemote("lgtm-remote")).Message);
    }
}
