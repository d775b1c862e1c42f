using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;

namespace LgtmLab.Tests.Observability;

/// <summary>Which tenant each cluster writes under, and the names remotes use for central's services.</summary>
public sealed class TenantsTests
{
    [Fact]
    public void Central_is_central_and_a_remote_defaults_to_its_cluster_name()
    {
        var lab = new LabOptions { Remotes = [new() { Name = "lgtm-remote" }, new() { Name = "edge", Tenant = "t1" }] };
        Assert.Equal(["central", "lgtm-remote", "t1"], Tenants.All(lab));
        Assert.Equal("central|lgtm-remote|t1", Tenants.Federated(lab));
        Assert.Equal("central|lgtm-remote", Tenants.Federated(new LabOptions()));
    }

    [Fact]
    public void A_tenant_used_twice_is_rejected_naming_the_key()
    {
        var lab = new LabOptions { Remotes = [new() { Name = "a", Tenant = "central" }] };
        var error = Assert.Throws<ArgumentException>(() => Tenants.All(lab));
        Assert.Contains("Lab:Remotes:0:Tenant 'central'", error.Message);
        Assert.Contains("Lab:Central", error.Message);
    }

    [Theory]
    [InlineData("a|b")]
    [InlineData("has space")]
    [InlineData("..")]
    public void A_tenant_the_backends_would_refuse_is_rejected(string tenant)
    {
        var lab = new LabOptions { Remotes = [new() { Name = "a", Tenant = tenant }] };
        var error = Assert.Throws<ArgumentException>(() => GrafanaDatasources.For(lab, LabAssets.Product));
        Assert.Contains($"Lab:Remotes:0:Tenant '{tenant}'", error.Message);
    }

    [Fact]
    public void Remotes_reach_centrals_services_through_mirrors_named_after_central()
    {
        Assert.Equal("mimir.mimir.svc.cluster.local", LgtmService.Mimir.LocalHost);
        Assert.Equal("mimir-lgtm-central.mimir.svc.cluster.local", LgtmService.Mimir.MirrorHost("lgtm-central"));
        Assert.Equal("tempo-hub", LgtmService.Tempo.MirrorName("hub"));
        Assert.Equal(["mimir", "loki", "tempo"], LgtmService.Exported.Select(s => s.Name));

        var lab = new LabOptions();
        var remote = TelemetryEndpoints.For(lab.EffectiveRemotes[0], lab.Central);
        Assert.Equal("lgtm-remote", remote.Tenant);
        Assert.Equal("http://mimir-lgtm-central.mimir.svc.cluster.local:8080/api/v1/push", remote.MimirRemoteWriteUrl);
        Assert.Equal("loki-lgtm-central.loki.svc.cluster.local", remote.LokiHost);
        Assert.Equal("tempo-lgtm-central.tempo.svc.cluster.local:4317", remote.TempoOtlpGrpcEndpoint);

        var central = TelemetryEndpoints.For(lab.Central, lab.Central);
        Assert.Equal("central", central.Tenant);
        Assert.Equal("http://loki.loki.svc.cluster.local:3100/loki/api/v1/push", central.LokiPushUrl);
    }

    [Fact]
    public void Exported_services_are_labelled_for_linkerd_in_their_manifests_and_values()
    {
        Assert.Contains("mirror.linkerd.io/exported: \"true\"", LabAssets.Read("manifests/mimir/mimir.yaml"));
        Assert.Equal("true", LabAssets.ScalarAt(LabAssets.LoadMapping("helm/tempo.yaml"), "service", "labels", "mirror.linkerd.io/exported"));
        Assert.Equal("true", LabAssets.ScalarAt(LabAssets.LoadMapping("helm/loki.yaml"), "singleBinary", "service", "labels", "mirror.linkerd.io/exported"));
    }
}
