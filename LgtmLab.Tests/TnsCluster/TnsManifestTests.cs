using k8s;
using k8s.Models;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Steps;
using LgtmLab.AppHost.Tns;
using LgtmLab.ServiceDefaults.Health;
using LgtmLab.Tests.Observability;

namespace LgtmLab.Tests.TnsCluster;

/// <summary>lab-assets/manifests/tns/tns.yaml, rendered as the lab renders it, loads strictly and says what the lab promises.</summary>
public sealed class TnsManifestTests
{
    private const string Image = "lgtmlab/tns:0123456789abcdef";

    private static List<object> Render(string inject = "enabled", string otlp = "http://alloy.observability.svc.cluster.local:4317") =>
        [.. KubernetesYaml.LoadAllFromString(ManifestTemplate.Render(LabAssets.Read("manifests/" + TnsContribution.ManifestFile),
            new Dictionary<string, string> { ["image"] = Image, ["inject"] = inject, ["otlpEndpoint"] = otlp }, "tns.yaml"), strict: true)];

    [Fact]
    public void The_manifest_loads_strictly_with_the_namespace_first_and_everything_in_it()
    {
        var objects = Render();

        var ns = Assert.IsType<V1Namespace>(objects[0]);
        Assert.Equal(TnsWorkloads.Namespace, ns.Metadata.Name);
        Assert.Equal("enabled", ns.Metadata.Annotations["linkerd.io/inject"]);
        Assert.Equal("disabled", Assert.IsType<V1Namespace>(Render(inject: "disabled")[0]).Metadata.Annotations["linkerd.io/inject"]);
        Assert.All(objects.Skip(1), o => Assert.Equal("tns", ((IMetadata<V1ObjectMeta>)o).Metadata.NamespaceProperty));
        Assert.Equal(TnsWorkloads.Deployments, objects.OfType<V1Deployment>().Select(d => d.Metadata.Name));
        Assert.Equal(TnsWorkloads.Deployments, objects.OfType<V1Service>().Select(s => s.Metadata.Name));
    }

    [Fact]
    public void Every_role_runs_the_loaded_image_with_TNS_arguments_probes_and_OTLP_to_Alloy()
    {
        var containers = Render().OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name, d => Assert.Single(d.Spec.Template.Spec.Containers));

        Assert.Equal(["db", "-server.http-listen-port=8080", "-log.level=debug"], containers["db"].Args);
        Assert.Equal(["app", "-server.http-listen-port=8080", "-log.level=debug", "http://db"], containers["app"].Args);
        Assert.Equal(["loadgen", "-server.http-listen-port=8080", "-log.level=debug", "http://app"], containers["loadgen"].Args);
        foreach (var container in containers.Values)
        {
            Assert.Equal(Image, container.Image);
            Assert.Equal("Never", container.ImagePullPolicy);
            Assert.Equal(8080, Assert.Single(container.Ports).ContainerPort);
            Assert.Equal(HealthEndpoints.HealthPath, container.ReadinessProbe.HttpGet.Path);
            Assert.Equal(HealthEndpoints.AlivePath, container.LivenessProbe.HttpGet.Path);
            Assert.Equal(TnsContribution.AlloyOtlpEndpoint, container.Env.Single(e => e.Name == "OTEL_EXPORTER_OTLP_ENDPOINT").Value);
        }
        Assert.Equal("http://alloy.observability.svc.cluster.local:4317", TnsContribution.AlloyOtlpEndpoint);
    }

    [Fact]
    public void Services_keep_port_80_and_are_scraped_as_tns_service_jobs()
    {
        foreach (var service in Render().OfType<V1Service>())
        {
            var port = Assert.Single(service.Spec.Ports);
            Assert.Equal(80, port.Port);
            Assert.Equal("http", port.TargetPort.Value);
            Assert.Equal("true", service.Metadata.Annotations["prometheus.io/scrape"]);
            Assert.Equal("8080", service.Metadata.Annotations["prometheus.io/port"]);
            Assert.Equal("/metrics", service.Metadata.Annotations["prometheus.io/path"]);
            Assert.Equal(service.Metadata.Name, service.Spec.Selector["app.kubernetes.io/name"]);
        }
        // Prometheus' services job labels job="<namespace>/<service>" and Alloy's pod logs job="<namespace>/<app.kubernetes.io/name>".
        var prometheus = LabAssets.Read("helm/prometheus.yaml");
        Assert.Contains("[__meta_kubernetes_namespace, __meta_kubernetes_service_name]", prometheus, StringComparison.Ordinal);
    }

    [Fact]
    public void Requests_and_limits_add_up_to_the_memory_budget_line_of_TNS()
    {
        var resources = Render().OfType<V1Deployment>().Select(d => Assert.Single(d.Spec.Template.Spec.Containers).Resources).ToList();
        var budget = Assert.Single(MemoryBudget.Load(LabAssets.Product).Items, i => i.Component == "TNS");

        Assert.Equal(budget.RequestMiB, resources.Sum(r => MiB(r.Requests["memory"])));
        Assert.Equal(budget.LimitMiB, resources.Sum(r => MiB(r.Limits["memory"])));
        Assert.All(resources, r => Assert.False(r.Limits.ContainsKey("cpu"), "no CPU limit: throttling would show up as TNS latency"));
    }

    [Fact]
    public void Without_the_LGTM_stack_no_OTLP_endpoint_is_set()
    {
        foreach (var deployment in Render(otlp: "").OfType<V1Deployment>())
            Assert.True(string.IsNullOrEmpty(deployment.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "OTEL_EXPORTER_OTLP_ENDPOINT").Value));
    }

    private static int MiB(ResourceQuantity quantity) => (int)(quantity.ToDecimal() / (1024 * 1024));
}
