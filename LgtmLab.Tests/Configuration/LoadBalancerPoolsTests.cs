using LgtmLab.AppHost.Configuration;

namespace LgtmLab.Tests.Configuration;

public class LoadBalancerPoolsTests
{
    private static LabTopology Lab(int remotes) => LabTopology.Resolve(new LabOptions
    {
        Remotes = Enumerable.Range(1, remotes).Select(i => new ClusterOptions { Name = $"remote{i}" }).ToList(),
    });

    [Theory]
    [InlineData(0, "172.18.255.201-172.18.255.210")]
    [InlineData(1, "172.18.255.211-172.18.255.220")]
    [InlineData(4, "172.18.255.241-172.18.255.250")]
    public void Pools_are_ten_addresses_per_cluster_at_the_top_of_the_kind_network(int index, string expected) =>
        Assert.Equal(expected, LoadBalancerPools.For(index, Ipv4Cidr.Parse("172.18.0.0/16")).ToString());

    [Fact]
    public void Five_clusters_fit_a_slash_16_network()
    {
        Assert.Empty(LoadBalancerPools.Check(Lab(4), Ipv4Cidr.Parse("172.19.0.0/16")));
    }

    [Fact]
    public void A_network_smaller_than_a_slash_16_is_rejected_with_the_limit()
    {
        var errors = LoadBalancerPools.Check(Lab(1), Ipv4Cidr.Parse("172.18.0.0/24"));

        Assert.Equal(["Lab:Central", "Lab:Remotes:0"], errors.Select(e => e.Key));
        Assert.Contains("at most 5 clusters fit on a /16 network", errors[0].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_cidrs_that_overlap_the_kind_network_are_rejected()
    {
        var errors = LoadBalancerPools.Check(Lab(1), Ipv4Cidr.Parse("10.0.0.0/8"));

        Assert.Contains(errors, e => e.Key == "Lab:Central:PodSubnet" && e.Problem.Contains("overlaps the kind Docker network 10.0.0.0/8", StringComparison.Ordinal));
    }
}
