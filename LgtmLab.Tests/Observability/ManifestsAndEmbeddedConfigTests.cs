using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Observability;

/// <summary>
/// The manifests the stack applies load strictly as Kubernetes objects, and the Mimir, Loki and Tempo
/// configurations embedded in them are YAML with multi-tenancy and tenant federation on.
/// </summary>
public sealed class ManifestsAndEmbeddedConfigTests
{
    public static TheoryData<string> MimirManifests() => new(
        Directory.GetFiles(LabAssets.PathOf("manifests/mimir"), "*.yaml").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(MimirManifests))]
    public void Mimir_manifest_loads_strictly(string file)
    {
        var objects = KubernetesYaml.LoadAllFromString(LabAssets.Read($"manifests/mimir/{file}"), strict: true);
        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.Equal("mimir", ((IMetadata<V1ObjectMeta>)o).Metadata.NamespaceProperty));
    }

    [Fact]
    public void Extra_objects_in_values_files_load_strictly()
    {
        foreach (var file in new[] { "helm/grafana.yaml", "helm/overlays/remote/alloy.yaml" })
        {
            var extra = Assert.IsType<YamlSequenceNode>(LabAssets.At(LabAssets.LoadMapping(file), "extraObjects"));
            foreach (var node in extra)
                Assert.Single(KubernetesYaml.LoadAllFromString(ToYaml(node), strict: true));
        }
    }

    [Fact]
    public void Mimir_config_is_multi_tenant_federated_classic_and_on_the_node()
    {
        var configMap = Assert.IsType<V1ConfigMap>(
            Assert.Single(KubernetesYaml.LoadAllFromString(LabAssets.Read("manifests/mimir/config.yaml"), strict: true)));
        var config = LabAssets.ParseMapping(configMap.Data["mimir.yaml"], "mimir.yaml");

        Assert.Equal("true", LabAssets.ScalarAt(config, "multitenancy_enabled"));
        Assert.Equal("true", LabAssets.ScalarAt(config, "tenant_federation", "enabled"));
        Assert.Equal("false", LabAssets.ScalarAt(config, "ingest_storage", "enabled"));
        Assert.Equal("filesystem", LabAssets.ScalarAt(config, "blocks_storage", "backend"));
        Assert.Equal("filesystem", LabAssets.ScalarAt(config, "ruler_storage", "backend"));
        Assert.Equal("1", LabAssets.ScalarAt(config, "ingester", "ring", "replication_factor"));
        Assert.True(int.Parse(LabAssets.ScalarAt(config, "limits", "max_global_exemplars_per_user")!) > 0, "exemplars must be on");
    }

    [Fact]
    public void Mimir_runs_every_component_in_one_pod_from_that_config()
    {
        var objects = KubernetesYaml.LoadAllFromString(LabAssets.Read("manifests/mimir/mimir.yaml"), strict: true);
        var statefulSet = Assert.Single(objects.OfType<V1StatefulSet>());
        var container = Assert.Single(statefulSet.Spec.Template.Spec.Containers);
        Assert.Contains("-target=all", container.Args);
        Assert.Contains("-config.file=/etc/mimir/mimir.yaml", container.Args);
        Assert.Equal(1, statefulSet.Spec.Replicas);
        Assert.Equal("mimir-config", Assert.Single(statefulSet.Spec.Template.Spec.Volumes, v => v.Name == "config").ConfigMap.Name);

        var service = Assert.Single(objects.OfType<V1Service>());
        Assert.Equal("true", service.Metadata.Labels["mirror.linkerd.io/exported"]);
        Assert.Contains(service.Spec.Ports, p => p.Port == 8080);
    }

    [Fact]
    public void Loki_is_one_multi_tenant_process_with_cross_tenant_queries_on_the_node()
    {
        var values = LabAssets.LoadMapping("helm/loki.yaml");
        Assert.Equal("Monolithic", LabAssets.ScalarAt(values, "deploymentMode"));
        Assert.Equal("true", LabAssets.ScalarAt(values, "loki", "auth_enabled"));
        Assert.Equal("true", LabAssets.ScalarAt(values, "loki", "querier", "multi_tenant_queries_enabled"));
        Assert.Equal("1", LabAssets.ScalarAt(values, "loki", "commonConfig", "replication_factor"));
        Assert.Equal("filesystem", LabAssets.ScalarAt(values, "loki", "storage", "type"));
        Assert.Equal("1", LabAssets.ScalarAt(values, "singleBinary", "replicas"));
        foreach (var off in new[] { "read", "write", "backend" })
            Assert.Equal("0", LabAssets.ScalarAt(values, off, "replicas"));
        foreach (var off in new[] { "gateway", "chunksCache", "resultsCache", "lokiCanary", "minio" })
            Assert.Equal("false", LabAssets.ScalarAt(values, off, "enabled"));
    }

    [Fact]
    public void Tempo_is_multi_tenant_with_cross_tenant_queries_and_its_config_template_parses()
    {
        var values = LabAssets.LoadMapping("helm/tempo.yaml");
        Assert.Equal("true", LabAssets.ScalarAt(values, "tempo", "multitenancyEnabled"));
        Assert.Equal("true", LabAssets.ScalarAt(values, "tempo", "queryFrontend", "multi_tenant_queries_enabled"));
        Assert.Equal("true", LabAssets.ScalarAt(values, "tempo", "metricsGenerator", "enabled"));
        var remoteWrite = Assert.IsType<YamlSequenceNode>(LabAssets.At(values, "tempo", "metricsGenerator", "storage", "remote_write"));
        Assert.Equal("http://mimir.mimir.svc.cluster.local:8080/api/v1/push", LabAssets.ScalarAt(Assert.Single(remoteWrite), "url"));
        Assert.Equal("true", LabAssets.ScalarAt(values, "persistence", "enabled"));
    }

    private static string ToYaml(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
