using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Observability;

/// <summary>Prometheus' generated remote_write per cluster, and the scrape jobs' <c>&lt;namespace&gt;/&lt;service&gt;</c> label.</summary>
public sealed class PrometheusValuesTests
{
    [Fact]
    public void Central_writes_to_mimir_directly_as_tenant_central()
    {
        var lab = new LabOptions();
        var values = LabAssets.ParseMapping(PrometheusValues.For(lab.Central, lab.Central), "prometheus overlay");
        var write = Assert.Single((YamlSequenceNode)LabAssets.At(values, "server", "remoteWrite")!);

        Assert.Equal("http://mimir.mimir.svc.cluster.local:8080/api/v1/push", LabAssets.ScalarAt(write, "url"));
        Assert.Equal("central", LabAssets.ScalarAt(write, "headers", "X-Scope-OrgID"));
        Assert.Equal("true", LabAssets.ScalarAt(write, "send_exemplars"));
        Assert.Equal("lgtm-central", LabAssets.ScalarAt(values, "server", "global", "external_labels", "cluster"));
    }

    [Fact]
    public void Remote_writes_through_the_mirror_as_its_tenant()
    {
        var lab = new LabOptions { Remotes = [new ClusterOptions { Name = "edge-1", Tenant = "t1" }] };
        var values = LabAssets.ParseMapping(PrometheusValues.For(lab.EffectiveRemotes[0], lab.Central), "prometheus overlay");
        var write = Assert.Single((YamlSequenceNode)LabAssets.At(values, "server", "remoteWrite")!);

        Assert.Equal("http://mimir-lgtm-central.mimir.svc.cluster.local:8080/api/v1/push", LabAssets.ScalarAt(write, "url"));
        Assert.Equal("t1", LabAssets.ScalarAt(write, "headers", "X-Scope-OrgID"));
        Assert.Equal("edge-1", LabAssets.ScalarAt(values, "server", "global", "external_labels", "cluster"));
    }

    [Fact]
    public void Service_scrape_job_labels_job_as_namespace_slash_service_and_exemplars_are_stored()
    {
        var values = LabAssets.LoadMapping("helm/prometheus.yaml");
        var relabels = (YamlSequenceNode)LabAssets.At(values, "scrapeConfigs", "services", "relabel_configs")!;
        var job = Assert.Single(relabels, r => LabAssets.ScalarAt(r, "target_label") == "job");
        Assert.Equal(["__meta_kubernetes_namespace", "__meta_kubernetes_service_name"],
            ((YamlSequenceNode)LabAssets.At(job, "source_labels")!).Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal("/", LabAssets.ScalarAt(job, "separator"));

        var flags = ((YamlSequenceNode)LabAssets.At(values, "server", "extraFlags")!).Select(n => ((YamlScalarNode)n).Value);
        Assert.Contains("enable-feature=exemplar-storage", flags);
        Assert.Equal("enabled", LabAssets.ScalarAt(LabAssets.LoadMapping("helm/overlays/remote/prometheus.yaml"), "server", "podAnnotations", "linkerd.io/inject"));
    }
}
