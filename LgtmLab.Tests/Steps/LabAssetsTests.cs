using k8s.Models;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Kubernetes.MetalLb;
using LgtmLab.AppHost.Steps;
using LgtmLab.AppHost.Tools;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Steps;

/// <summary>Every kind config and manifest the lab applies loads strictly, as rendered for a real lab.</summary>
public class LabAssetsTests
{
    private static readonly LabAssets Assets = LabAssets.Locate(new LabOptions());
    private static readonly LabTopology Lab = LabTopology.Resolve(new LabOptions
    {
        Remotes = [new ClusterOptions { Name = "lgtm-remote" }, new ClusterOptions { Name = "lgtm-remote2", HostPorts = { ["otlp-grpc"] = 24317 } }],
    });

    [Fact]
    public void Versions_pin_the_node_image_by_digest_and_the_metallb_chart()
    {
        var versions = Assets.LoadVersions();

        Assert.Matches(@"^kindest/node:v[\d.]+@sha256:[0-9a-f]{64}$", versions.NodeImage);
        Assert.Equal("0.16.1", versions.Chart("metallb").Version);
    }

    [Fact]
    public void Each_cluster_gets_a_kind_config_with_its_name_cidrs_and_port_mappings()
    {
        foreach (var cluster in Lab.Clusters)
        {
            var yaml = KindClusterConfigRenderer.Render(Assets.KindClusterTemplate, cluster).ToYaml();
            var config = KindClusterConfig.Parse(yaml, "rendered");

            Assert.Equal(cluster.Name, config.Name);
            Assert.Equal((cluster.PodSubnet.ToString(), cluster.ServiceSubnet.ToString()), (config.Networking!.PodSubnet, config.Networking.ServiceSubnet));
            var node = Assert.Single(config.Nodes);
            Assert.Equal(cluster.PortMappings.Select(p => (p.HostPort, p.ContainerPort, "127.0.0.1")),
                node.ExtraPortMappings!.Select(m => (m.HostPort, m.ContainerPort, m.ListenAddress!)));
            Assert.Contains(config.KubeadmConfigPatches!, p => p.Contains("dnsDomain: cluster.local", StringComparison.Ordinal));
        }
        var third = KindClusterConfig.Parse(KindClusterConfigRenderer.Render(Assets.KindClusterTemplate, Lab.Clusters[2]).ToYaml(), "rendered");
        Assert.Equal([24317, 14328], third.Nodes[0].ExtraPortMappings!.Select(m => m.HostPort));
    }

    [Fact]
    public void The_rendered_kind_config_is_what_kind_reads()
    {
        var yaml = KindClusterConfigRenderer.Render(Assets.KindClusterTemplate, Lab.Central).ToYaml();
        var root = (YamlMappingNode)LoadYaml(yaml);

        Assert.Equal("kind.x-k8s.io/v1alpha4", root["apiVersion"].ToString());
        Assert.Equal("Cluster", root["kind"].ToString());
        var mapping = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)root["nodes"])[0])["extraPortMappings"])[0];
        Assert.Equal(["containerPort", "hostPort", "listenAddress", "protocol"], mapping.Children.Keys.Select(k => k.ToString()));
    }

    [Theory]
    [InlineData("networking:\n  podSubnet: 10.1.0.0/16\n  dnsDomain: foo.local\n", "dnsDomain")]
    [InlineData("nodes:\n  - role: control-plane\n    extraPortMapings: []\n", "extraPortMapings")]
    [InlineData("networking:\n  apiServerPort: sixty\n", "sixty")]
    public void Kind_configs_load_strictly(string body, string offending)
    {
        var e = Assert.Throws<InvalidDataException>(() => KindClusterConfig.Parse("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n" + body, "test.yaml"));
        Assert.Contains("test.yaml", e.Message, StringComparison.Ordinal);
        Assert.Contains(offending, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_metallb_pool_manifest_loads_strictly_with_the_pool_of_each_cluster()
    {
        var network = Ipv4Cidr.Parse("172.18.0.0/16");
        foreach (var cluster in Lab.Clusters)
        {
            var pool = LoadBalancerPools.For(cluster.Index, network).ToString();
            var rendered = ManifestTemplate.Render(File.ReadAllText(Assets.Manifest(MetalLbPoolStep.TemplateName)),
                new Dictionary<string, string> { ["poolName"] = $"{cluster.Name}-pool", ["addresses"] = pool }, "metallb-pool.yaml");

            var objects = LabManifests.Load(rendered);

            var ipPool = Assert.IsType<IPAddressPool>(objects[0]);
            Assert.Equal([pool], ipPool.Spec.Addresses);
            Assert.Equal("metallb-system", ipPool.Metadata.NamespaceProperty);
            Assert.Equal([$"{cluster.Name}-pool"], Assert.IsType<L2Advertisement>(objects[1]).Spec.IpAddressPools!);
            var probe = Assert.IsType<V1Service>(objects[2]);
            Assert.Equal(("LoadBalancer", MetalLbPoolStep.ProbeService), (probe.Spec.Type, probe.Metadata.Name));
        }
    }

    [Fact]
    public void Custom_resources_are_loaded_strictly_too()
    {
        const string yaml = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: p\n  namespace: metallb-system\nspec:\n  adresses: [a]\n";

        var e = Assert.ThrowsAny<Exception>(() => LabManifests.Load(yaml));
        Assert.Contains("adresses", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_placeholder_without_a_value_is_an_error()
    {
        var e = Assert.Throws<InvalidDataException>(() => ManifestTemplate.Render("name: {{ poolName }}", new Dictionary<string, string>(), "x.yaml"));
        Assert.Contains("{{ poolName }}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_metallb_values_only_set_keys_that_the_chart_defines()
    {
        var values = (YamlMappingNode)LoadYaml(File.ReadAllText(Assets.HelmValues("metallb")));
        var chartKeys = new Dictionary<string, string[]>
        {
            ["frrk8s"] = ["enabled", "external", "namespace"],
            ["controller"] = ["resources"],
            ["speaker"] = ["resources"],
        };

        foreach (var (key, node) in values.Children)
        {
            Assert.True(chartKeys.ContainsKey(key.ToString()), $"metallb 0.16.1 has no top-level value '{key}'");
            foreach (var child in ((YamlMappingNode)node).Children.Keys)
                Assert.Contains(child.ToString(), chartKeys[key.ToString()]);
        }
    }

    private static YamlNode LoadYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }
}
