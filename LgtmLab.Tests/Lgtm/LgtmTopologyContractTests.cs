using LgtmLab.AppHost.Lgtm;

namespace LgtmLab.Tests.Lgtm;

/// <summary>Releases, namespaces and tenants for larger labs and with the mesh on (fake tools and API servers).</summary>
public sealed class LgtmTopologyContractTests
{
    [Fact]
    public async Task Three_remotes_each_get_their_agents_under_their_own_tenant_and_a_grafana_data_source_set()
    {
        await using var lab = LgtmContractLab.Create(remotes: 3);

        LgtmContractLab.AllSucceeded(await lab.RunAsync());

        foreach (var remote in new[] { "lgtm-remote", "lgtm-remote2", "lgtm-remote3" })
        {
            var cluster = lab.Toolbox.Cluster(remote)!;
            Assert.Equal(["alloy", "metallb", "prometheus"], cluster.Releases.Select(r => r.Name).Order());
            LgtmContractTests.AssertAgents(cluster.Releases, remote, "mimir-lgtm-central.mimir.svc.cluster.local");
            Assert.All(["observability", "mimir", "loki", "tempo"], ns => Assert.NotNull(cluster.Api!.Get("v1", "Namespace", null, ns)));
            Assert.Null(cluster.Api!.Get("v1", "Namespace", null, "traefik"));
        }
        var datasources = LgtmContractTests.Datasources(lab.Central.Releases);
        Assert.Equal(15, datasources.Count);
        Assert.Contains(datasources, d => (string?)d["name"] == "Tempo Remote (lgtm-remote3)" && (string?)d["secureJsonData"]!["httpHeaderValue1"] == "lgtm-remote3");
        Assert.Contains(datasources, d => (string?)d["name"] == "Mimir (all tenants)"
            && (string?)d["secureJsonData"]!["httpHeaderValue1"] == "central|lgtm-remote|lgtm-remote2|lgtm-remote3");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Namespaces_are_meshed_where_the_budget_says_only_when_linkerd_is_on(bool linkerd)
    {
        await using var lab = LgtmContractLab.Create(linkerd: linkerd);

        LgtmContractLab.AllSucceeded(await lab.RunAsync());

        var expected = new Dictionary<(string Cluster, string Namespace), bool>
        {
            [("lgtm-central", "observability")] = false,
            [("lgtm-central", "traefik")] = false,
            [("lgtm-central", "mimir")] = linkerd,
            [("lgtm-central", "loki")] = linkerd,
            [("lgtm-central", "tempo")] = linkerd,
            [("lgtm-remote", "observability")] = linkerd,
            [("lgtm-remote", "mimir")] = linkerd,
            [("lgtm-remote", "loki")] = linkerd,
            [("lgtm-remote", "tempo")] = linkerd,
        };
        foreach (var ((cluster, name), meshed) in expected)
        {
            var ns = lab.Toolbox.Cluster(cluster)!.Api!.Get("v1", "Namespace", null, name);
            Assert.NotNull(ns);
            Assert.Equal(meshed ? "enabled" : null, (string?)ns["metadata"]?["annotations"]?[NamespacesStep.InjectAnnotation]);
        }
    }
}
