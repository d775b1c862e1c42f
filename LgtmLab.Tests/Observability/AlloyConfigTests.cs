using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Observability;

/// <summary>Alloy's pipeline per cluster: the right tenant and endpoints, and on remotes the tagged host receiver.</summary>
public sealed class AlloyConfigTests
{
    private static readonly LabOptions Lab = new()
    {
        Remotes = [new ClusterOptions { Name = "lgtm-remote" }, new ClusterOptions { Name = "edge-1", Tenant = "t1" }],
    };

    [Fact]
    public void Central_sends_to_its_own_services_under_tenant_central()
    {
        var config = AlloyConfig.For(Lab.Central, Lab.Central, LabAssets.Product);

        Assert.Contains("url       = \"http://loki.loki.svc.cluster.local:3100/loki/api/v1/push\"", config);
        Assert.Contains("tenant_id = \"central\"", config);
        Assert.Contains("endpoint = \"tempo.tempo.svc.cluster.local:4317\"", config);
        Assert.Contains("endpoint = \"http://mimir.mimir.svc.cluster.local:8080/otlp\"", config);
        Assert.Contains("endpoint = \"http://loki.loki.svc.cluster.local:3100/otlp\"", config);
        Assert.Equal(3, Count(config, "\"X-Scope-OrgID\" = \"central\""));
        Assert.DoesNotContain("-lgtm-central.", config);
        Assert.DoesNotContain("local_run", config);
        Assert.Contains("cluster = \"lgtm-central\"", config);
    }

    [Theory]
    [InlineData(0, "lgtm-remote")]
    [InlineData(1, "t1")]
    public void Remote_sends_through_the_linkerd_mirrors_under_its_tenant(int index, string tenant)
    {
        var remote = Lab.EffectiveRemotes[index];
        var config = AlloyConfig.For(remote, Lab.Central, LabAssets.Product);

        Assert.Contains("url       = \"http://loki-lgtm-central.loki.svc.cluster.local:3100/loki/api/v1/push\"", config);
        Assert.Contains($"tenant_id = \"{tenant}\"", config);
        Assert.Contains("endpoint = \"tempo-lgtm-central.tempo.svc.cluster.local:4317\"", config);
        Assert.Contains("endpoint = \"http://mimir-lgtm-central.mimir.svc.cluster.local:8080/otlp\"", config);
        Assert.Contains("endpoint = \"http://loki-lgtm-central.loki.svc.cluster.local:3100/otlp\"", config);
        Assert.Equal(3, Count(config, $"\"X-Scope-OrgID\" = \"{tenant}\""));
        Assert.DoesNotContain("\"central\"", config);
        Assert.Contains($"cluster = \"{remote.Name}\"", config);
    }

    [Fact]
    public void Remote_tags_what_the_host_sends_as_the_local_run_and_only_that()
    {
        var config = AlloyConfig.For(Lab.EffectiveRemotes[0], Lab.Central, LabAssets.Product);

        Assert.Contains("endpoint = \"0.0.0.0:14317\"", config);
        Assert.Contains("endpoint = \"0.0.0.0:14318\"", config);
        Assert.Equal(3, Count(config, "set(attributes[\"lgtmlab.run\"], \"local\")"));
        // The host receiver feeds the tagging processor; the in-cluster receiver goes straight to the batch.
        var hostReceiver = Block(config, "otelcol.receiver.otlp \"local_run\"");
        Assert.Equal(3, Count(hostReceiver, "otelcol.processor.transform.local_run.input"));
        var clusterReceiver = Block(config, "otelcol.receiver.otlp \"cluster\"");
        Assert.Equal(3, Count(clusterReceiver, "otelcol.processor.batch.default.input"));
        Assert.Contains("endpoint = \"0.0.0.0:4317\"", clusterReceiver);
    }

    [Fact]
    public void Pod_logs_get_job_namespace_slash_app()
    {
        var config = AlloyConfig.For(Lab.Central, Lab.Central, LabAssets.Product);
        Assert.Contains("source_labels = [\"__meta_kubernetes_namespace\", \"__tmp_app\"]", config);
        Assert.Contains("separator     = \"/\"", config);
        Assert.Contains("target_label  = \"job\"", config);
    }

    [Fact]
    public void Config_is_well_formed_for_both_kinds_of_cluster()
    {
        foreach (var cluster in new[] { Lab.Central }.Concat(Lab.EffectiveRemotes))
        {
            var config = AlloyConfig.For(cluster, Lab.Central, LabAssets.Product);
            Assert.Equal(Count(config, "{"), Count(config, "}"));
            Assert.Equal(Count(config, "["), Count(config, "]"));
            Assert.DoesNotContain("{{", config); // the chart renders the content through tpl
            Assert.Equal(0, Count(config, "\"") % 2);
        }
    }

    [Fact]
    public void Values_overlay_carries_the_config_and_the_remote_overlay_opens_the_matching_ports()
    {
        var remote = Lab.EffectiveRemotes[0];
        var values = LabAssets.ParseMapping(AlloyValues.For(remote, Lab.Central, LabAssets.Product), "alloy overlay");
        Assert.Equal(AlloyConfig.For(remote, Lab.Central, LabAssets.Product), LabAssets.ScalarAt(values, "alloy", "configMap", "content"));

        var overlay = LabAssets.LoadMapping("helm/overlays/remote/alloy.yaml");
        var containerPorts = ((YamlSequenceNode)LabAssets.At(overlay, "alloy", "extraPorts")!)
            .Select(p => int.Parse(LabAssets.ScalarAt(p, "targetPort")!)).ToList();
        Assert.Contains(AlloyConfig.LocalRunGrpcPort, containerPorts);
        Assert.Contains(AlloyConfig.LocalRunHttpPort, containerPorts);
        Assert.Contains(AlloyConfig.OtlpGrpcPort, containerPorts);

        var service = ((YamlSequenceNode)LabAssets.At(overlay, "extraObjects")!).Single();
        var nodePorts = ((YamlSequenceNode)LabAssets.At(service, "spec", "ports")!)
            .ToDictionary(p => int.Parse(LabAssets.ScalarAt(p, "nodePort")!), p => int.Parse(LabAssets.ScalarAt(p, "targetPort")!));
        Assert.Equal(AlloyConfig.LocalRunGrpcPort, nodePorts[AlloyConfig.LocalRunGrpcNodePort]);
        Assert.Equal(AlloyConfig.LocalRunHttpPort, nodePorts[AlloyConfig.LocalRunHttpNodePort]);
        Assert.Equal("enabled", LabAssets.ScalarAt(overlay, "controller", "podAnnotations", "linkerd.io/inject"));
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    /// <summary>The text of one top-level block, from its header to its closing brace.</summary>
    private static string Block(string config, string header)
    {
        var start = config.IndexOf(header, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no block {header}");
        var end = config.IndexOf("\n}\n", start, StringComparison.Ordinal);
        return config[start..end];
    }
}
