using LgtmLab.Tests.Infrastructure;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Pki;
using Microsoft.Extensions.Logging.Abstractions;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Mesh;

/// <summary>lab-assets/helm/linkerd-*.yaml: valid YAML, only keys the pinned charts define, and the lab's decisions in them.</summary>
public sealed class LinkerdValuesTests
{
    /// <summary>The release the reference defaults in shared/reference/charts belong to; versions.yaml pins its Helm chart version.</summary>
    private const string ReferenceRelease = "edge-26.8.3";
    private const string PinnedChartVersion = "2026.8.3";

    public static TheoryData<string> Charts => ["linkerd-crds", "linkerd-control-plane", "linkerd-viz", "linkerd-multicluster"];

    private static string ValuesFile(string chart) => Path.Combine(ChartReference.RepositoryRoot, "lab-assets", "helm", chart + ".yaml");

    private static YamlMappingNode Ours(string chart) => ValuesKeyCheck.Load(ValuesFile(chart));

    /// <summary>Keys the charts document and read although their default values.yaml does not show them.</summary>
    private static ValuesKeyCheck CheckFor(string chart)
    {
        var check = new ValuesKeyCheck(ValuesKeyCheck.Load(ChartReference.DefaultValues(chart, ReferenceRelease)));
        switch (chart)
        {
            case "linkerd-control-plane":
                foreach (var key in new[] { "destinationResources", "spValidatorResources", "identityResources", "proxyInjectorResources" })
                    check.AllowedKeys[key] = new($"commented out in values.yaml (\"#{key}: ... see proxy.resources for sub-fields\") and read by the chart's templates", ShapedLike: "proxy.resources");
                break;
            case "linkerd-multicluster":
                foreach (var key in new[] { "localServiceMirror.resources", "controllerDefaults.resources" })
                    check.AllowedKeys[key] = new("defaults to {}; the templates render it with toYaml as the container's Kubernetes resources (requests/limits)");
                break;
        }
        return check;
    }

    [RequiresChartReferenceTheory]
    [MemberData(nameof(Charts))]
    public void Every_key_is_one_the_pinned_chart_defines(string chart)
    {
        var problems = CheckFor(chart).Problems(Ours(chart));

        Assert.True(problems.Count == 0, $"{ValuesFile(chart)}:\n  " + string.Join("\n  ", problems));
    }

    [RequiresChartReferenceFact]
    public void The_check_reports_a_misspelt_key_a_scalar_for_a_map_and_unchecked_free_form_contents()
    {
        var ours = LoadYaml("""
            gateway:
              serviceTyp: LoadBalancer
            localServiceMirror: fast
            podAnnotations:
              example.com/owner: lab
            """);

        var problems = new ValuesKeyCheck(ValuesKeyCheck.Load(ChartReference.DefaultValues("linkerd-multicluster", ReferenceRelease))).Problems(ours);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("gateway.serviceTyp: the chart's default values have no such key", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("localServiceMirror: the chart expects a map", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("podAnnotations: the chart's default is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Versions_yaml_pins_the_release_whose_defaults_the_check_reads()
    {
        var versions = LabVersions.Load(Path.Combine(ChartReference.RepositoryRoot, "lab-assets", "versions.yaml"));

        foreach (var chart in Charts)
            Assert.True(versions.Chart(chart).Version == PinnedChartVersion,
                $"versions.yaml pins {chart} {versions.Chart(chart).Version}, but this check reads the {ReferenceRelease} defaults: bump both (and shared/reference/charts)");
    }

    [Theory]
    [MemberData(nameof(Charts))]
    public void No_certificate_or_key_is_kept_in_a_values_file(string chart)
    {
        var text = File.ReadAllText(ValuesFile(chart));

        Assert.DoesNotContain("-----BEGIN", text);
        foreach (var secretKey in new[] { "identityTrustAnchorsPEM", "crtPEM", "keyPEM", "caBundle" })
            Assert.DoesNotContain(KeyPaths(Ours(chart)), path => path.Split('.').Contains(secretKey));
    }

    [Fact]
    public void Lab_decisions_are_in_the_values()
    {
        Assert.Equal("true", Scalar(Ours("linkerd-crds"), "installGatewayAPI"));
        Assert.Equal("true", Scalar(Ours("linkerd-control-plane"), "disableHeartBeat"));
        Assert.Equal("LoadBalancer", Scalar(Ours("linkerd-multicluster"), "gateway.serviceType"));
        Assert.Equal("true", Scalar(Ours("linkerd-multicluster"), "gateway.enabled"));
        Assert.Equal("true", Scalar(Ours("linkerd-multicluster"), "enableNamespaceCreation"));
        // The viz chart fails to render with its Prometheus off and no prometheusUrl.
        Assert.Equal("false", Scalar(Ours("linkerd-viz"), "prometheus.enabled"));
        Assert.StartsWith("http://", Scalar(Ours("linkerd-viz"), "prometheusUrl"));
    }

    [Theory]
    [InlineData("linkerd-control-plane", "proxy.resources")]
    [InlineData("linkerd-control-plane", "destinationResources")]
    [InlineData("linkerd-control-plane", "spValidatorResources")]
    [InlineData("linkerd-control-plane", "identityResources")]
    [InlineData("linkerd-control-plane", "proxyInjectorResources")]
    [InlineData("linkerd-control-plane", "policyController.resources")]
    [InlineData("linkerd-viz", "metricsAPI.resources")]
    [InlineData("linkerd-viz", "tap.resources")]
    [InlineData("linkerd-viz", "tapInjector.resources")]
    [InlineData("linkerd-viz", "dashboard.resources")]
    public void Every_Linkerd_container_has_a_memory_request_and_limit_and_no_cpu_limit(string chart, string resources)
    {
        var values = Ours(chart);

        Assert.NotEmpty(Scalar(values, $"{resources}.memory.request"));
        Assert.NotEmpty(Scalar(values, $"{resources}.memory.limit"));
        Assert.NotEmpty(Scalar(values, $"{resources}.cpu.request"));
        Assert.DoesNotContain($"{resources}.cpu.limit", KeyPaths(values));
    }

    [Theory]
    [InlineData("localServiceMirror.resources")]
    [InlineData("controllerDefaults.resources")]
    public void Multicluster_controllers_have_a_memory_request_and_limit_in_Kubernetes_shape(string resources)
    {
        var values = Ours("linkerd-multicluster");

        Assert.NotEmpty(Scalar(values, $"{resources}.requests.memory"));
        Assert.NotEmpty(Scalar(values, $"{resources}.limits.memory"));
        Assert.NotEmpty(Scalar(values, $"{resources}.requests.cpu"));
    }

    [RequiresChartReferenceFact]
    public void The_values_file_the_PKI_writes_at_install_time_uses_the_control_plane_chart_s_keys()
    {
        var state = Path.Combine(Path.GetTempPath(), $"lgtmlab-mesh-{Guid.NewGuid():N}");
        try
        {
            var identity = new LinkerdPki(state).EnsureIdentity("lgtm-central", NullLogger.Instance);
            using var secretValues = identity.WriteHelmValues(Path.Combine(state, "tmp"));

            var secret = ValuesKeyCheck.Load(secretValues.Path);
            Assert.Empty(CheckFor("linkerd-control-plane").Problems(secret));
            Assert.Equal(["identityTrustAnchorsPEM", "identity.issuer.tls.crtPEM", "identity.issuer.tls.keyPEM"], KeyPaths(secret));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static YamlMappingNode LoadYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static string Scalar(YamlMappingNode root, string path)
    {
        YamlNode node = root;
        foreach (var key in path.Split('.'))
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child)
                ? child
                : throw new Xunit.Sdk.XunitException($"{path} is not set (missing {key})");
        return ((YamlScalarNode)node).Value ?? "";
    }

    private static List<string> KeyPaths(YamlMappingNode node, string prefix = "")
    {
        var paths = new List<string>();
        foreach (var (key, value) in node.Children)
        {
            var path = prefix.Length == 0 ? ((YamlScalarNode)key).Value! : $"{prefix}.{((YamlScalarNode)key).Value}";
            if (value is YamlMappingNode child && child.Children.Count > 0)
                paths.AddRange(KeyPaths(child, path));
            else
                paths.Add(path);
        }
        return paths;
    }
}
