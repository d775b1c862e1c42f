using k8s;
using k8s.Models;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Observability;

/// <summary>
/// What the engine installs per cluster: pinned charts, existing files, the namespaces, and readiness
/// endpoints that point at ports the values files and manifests really open.
/// </summary>
public sealed class ObservabilityComponentsTests
{
    private static readonly LabOptions Lab = new();

    [Fact]
    public void Central_runs_the_stack_and_its_agents_remotes_run_the_agents()
    {
        Assert.Equal(["traefik", "mimir", "loki", "tempo", "grafana", "prometheus", "alloy"],
            ObservabilityComponents.For(Lab, Lab.Central).Select(c => c.Name));
        Assert.Equal(["prometheus", "alloy"],
            ObservabilityComponents.For(Lab, Lab.EffectiveRemotes[0]).Select(c => c.Name));
        Assert.Equal("lgtm-remote-alloy", ObservabilityComponents.For(Lab, Lab.EffectiveRemotes[0])[1].ResourceName);
    }

    [Fact]
    public void Nothing_is_installed_when_the_lgtm_switch_is_off()
    {
        var off = new LabOptions { Components = new ComponentOptions { Lgtm = false } };
        Assert.Empty(ObservabilityComponents.For(off, off.Central));
        Assert.Empty(ObservabilityComponents.Readiness(off));
    }

    [Fact]
    public void Every_chart_is_pinned_and_every_file_exists()
    {
        var versions = LabAssets.Versions;
        foreach (var component in AllComponents())
        {
            if (component.Chart is not null)
                Assert.False(string.IsNullOrEmpty(versions.Chart(component.Chart).Version), component.ResourceName);
            else
                Assert.True(Directory.Exists(LabAssets.PathOf(component.ManifestsDirectory!)), component.ResourceName);
            Assert.True(component.Chart is null == component.ManifestsDirectory is not null, $"{component.ResourceName}: a chart or manifests, not both");
            Assert.All(component.ValuesFiles, f => Assert.True(File.Exists(LabAssets.PathOf(f)), $"{component.ResourceName}: {f} missing"));
        }
    }

    [Fact]
    public void Remote_agents_are_meshed_and_write_under_the_remote_tenant()
    {
        var prometheus = ObservabilityComponents.For(Lab, Lab.EffectiveRemotes[0]).Single(c => c.Name == "prometheus");
        Assert.Contains("helm/overlays/remote/prometheus.yaml", prometheus.ValuesFiles);
        Assert.Contains("X-Scope-OrgID: lgtm-remote", prometheus.GenerateValues!(LabAssets.Directory));
    }

    [Fact]
    public void Namespaces_include_the_mirror_namespaces_on_remotes()
    {
        Assert.Equal(["observability", "traefik", "mimir", "loki", "tempo"], ObservabilityNamespaces.For(Lab.Central, Lab.Central));
        Assert.Equal(["observability", "mimir", "loki", "tempo"], ObservabilityNamespaces.For(Lab.EffectiveRemotes[0], Lab.Central));
        foreach (var component in AllComponents())
            Assert.Contains(component.Namespace, ObservabilityNamespaces.For(
                component.Cluster == Lab.Central.Name ? Lab.Central : Lab.EffectiveRemotes[0], Lab.Central));
    }

    [Fact]
    public void Readiness_endpoints_cover_every_component_once()
    {
        var readiness = ObservabilityComponents.Readiness(Lab);
        Assert.Equal(AllComponents().Select(c => c.ResourceName), readiness.Select(r => r.ResourceName));
        Assert.Equal(
            [
                "lgtm-central-traefik traefik/traefik-internal:8080/ping",
                "lgtm-central-mimir mimir/mimir:8080/ready",
                "lgtm-central-loki loki/loki:3100/ready",
                "lgtm-central-tempo tempo/tempo:3200/ready",
                "lgtm-central-grafana observability/grafana:80/api/health",
                "lgtm-central-prometheus observability/prometheus:9090/-/ready",
                "lgtm-central-alloy observability/alloy:12345/-/ready",
                "lgtm-remote-prometheus observability/prometheus:9090/-/ready",
                "lgtm-remote-alloy observability/alloy:12345/-/ready",
            ],
            readiness.Select(r => $"{r.ResourceName} {r.Namespace}/{r.Service}:{r.Port}{r.Path}"));
        Assert.Equal("/api/v1/namespaces/loki/services/loki:3100/proxy/ready", readiness[2].ApiServerProxyPath);
    }

    [Fact]
    public void Readiness_ports_are_the_ports_the_services_open()
    {
        // Ports the lab sets; the rest are the pinned charts' defaults (Loki 3100, Tempo 3200, Grafana 80,
        // Alloy 12345, Traefik's traefik entry point 8080), which the chart-key test keeps us from overriding unseen.
        var mimirService = KubernetesYaml.LoadAllFromString(LabAssets.Read("manifests/mimir/mimir.yaml"), strict: true).OfType<V1Service>().Single();
        var readiness = ObservabilityComponents.Readiness(Lab).ToDictionary(r => r.ResourceName);
        Assert.Equal(mimirService.Metadata.Name, readiness["lgtm-central-mimir"].Service);
        Assert.Contains(mimirService.Spec.Ports, p => p.Port == readiness["lgtm-central-mimir"].Port);
        Assert.Equal("9090", LabAssets.ScalarAt(LabAssets.LoadMapping("helm/prometheus.yaml"), "server", "service", "servicePort"));
        Assert.Equal("prometheus", LabAssets.ScalarAt(LabAssets.LoadMapping("helm/prometheus.yaml"), "server", "fullnameOverride"));
        Assert.Equal("loki", LabAssets.ScalarAt(LabAssets.LoadMapping("helm/loki.yaml"), "fullnameOverride"));
        Assert.Equal("tempo", LabAssets.ScalarAt(LabAssets.LoadMapping("helm/tempo.yaml"), "fullnameOverride"));
        Assert.Equal("alloy", LabAssets.ScalarAt(LabAssets.LoadMapping("helm/alloy.yaml"), "fullnameOverride"));
        var traefik = LabAssets.LoadMapping("helm/traefik.yaml");
        Assert.Equal("traefik", LabAssets.ScalarAt(traefik, "fullnameOverride"));
        Assert.Equal("true", LabAssets.ScalarAt(traefik, "ports", "traefik", "expose", "internal"));
        Assert.Equal("ClusterIP", LabAssets.ScalarAt(traefik, "service", "additionalServices", "internal", "type"));
    }

    [Fact]
    public void Grafana_is_reachable_by_name_with_tls_and_on_localhost_without_hosts_edits()
    {
        var grafana = LabAssets.LoadMapping("helm/grafana.yaml");
        Assert.Equal(GrafanaAccess.AdminSecretName, LabAssets.ScalarAt(grafana, "admin", "existingSecret"));
        Assert.Equal(GrafanaAccess.AdminPasswordKey, LabAssets.ScalarAt(grafana, "admin", "passwordKey"));
        Assert.Null(LabAssets.At(grafana, "adminPassword"));
        Assert.Equal(GrafanaAccess.Host, LabAssets.ScalarAt(Assert.Single((YamlSequenceNode)LabAssets.At(grafana, "ingress", "hosts")!)));
        var tls = Assert.Single((YamlSequenceNode)LabAssets.At(grafana, "ingress", "tls")!);
        Assert.Equal(GrafanaAccess.TlsSecretName, LabAssets.ScalarAt(tls, "secretName"));

        var localhost = Assert.IsType<V1Ingress>(Assert.Single(KubernetesYaml.LoadAllFromString(
            ToYaml(Assert.Single((YamlSequenceNode)LabAssets.At(grafana, "extraObjects")!)), strict: true)));
        Assert.Null(Assert.Single(localhost.Spec.Rules).Host);
        Assert.Equal(GrafanaAccess.Namespace, localhost.Metadata.NamespaceProperty);

        var traefik = LabAssets.LoadMapping("helm/traefik.yaml");
        Assert.Equal(GrafanaAccess.WebNodePort.ToString(), LabAssets.ScalarAt(traefik, "ports", "web", "nodePort"));
        Assert.Equal(GrafanaAccess.WebSecureNodePort.ToString(), LabAssets.ScalarAt(traefik, "ports", "websecure", "nodePort"));
        Assert.Equal("http://localhost:8080", GrafanaAccess.LocalhostUrl(Lab.Central));
        var custom = new ClusterOptions { Name = "c", HostPorts = { ["http"] = 18080 } };
        Assert.Equal("http://localhost:18080", GrafanaAccess.LocalhostUrl(custom));
    }

    private static IEnumerable<ObservabilityComponent> AllComponents() =>
        new[] { Lab.Central }.Concat(Lab.EffectiveRemotes).SelectMany(c => ObservabilityComponents.For(Lab, c));

    private static string ToYaml(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
