using LgtmLab.AppHost.Configuration;

namespace LgtmLab.Tests.Configuration;

public class CidrTests
{
    [Theory]
    [InlineData("10.11.0.0/16", "10.11.255.255", true)]
    [InlineData("10.11.0.0/16", "10.12.0.0", false)]
    [InlineData("172.18.0.0/16", "172.18.255.210", true)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    public void Contains_is_mask_arithmetic(string cidr, string address, bool expected) =>
        Assert.Equal(expected, Ipv4Cidr.Parse(cidr).Contains(Ipv4Address.Parse(address)));

    [Theory]
    [InlineData("10.0.0.0/8", "10.200.0.0/16", true)]
    [InlineData("10.11.0.0/16", "10.12.0.0/16", false)]
    [InlineData("10.60.0.0/16", "10.60.128.0/17", true)]
    [InlineData("192.168.0.0/24", "192.168.1.0/24", false)]
    public void Overlaps_is_symmetric(string a, string b, bool expected)
    {
        Assert.Equal(expected, Ipv4Cidr.Parse(a).Overlaps(Ipv4Cidr.Parse(b)));
        Assert.Equal(expected, Ipv4Cidr.Parse(b).Overlaps(Ipv4Cidr.Parse(a)));
    }

    [Theory]
    [InlineData("10.1.2.0/33")]
    [InlineData("10.1.2/24")]
    [InlineData("10.1.2.256/24")]
    [InlineData("10.1.2.0/-1")]
    [InlineData("")]
    public void Malformed_cidrs_are_rejected(string text) => Assert.False(Ipv4Cidr.TryParse(text, out _, out _));

    [Fact]
    public void Host_bits_are_rejected_with_the_network_to_use()
    {
        Assert.False(Ipv4Cidr.TryParse("10.11.3.4/16", out _, out var problem));
        Assert.Contains("10.11.0.0/16", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_allocation_follows_ten_k_plus_eleven()
    {
        var allocated = CidrAllocator.Allocate([(null, null), (null, null), (null, null)]);

        Assert.Equal(["10.11.0.0/16", "10.21.0.0/16", "10.31.0.0/16"], allocated.Select(a => a.Pod.ToString()));
        Assert.Equal(["10.12.0.0/16", "10.22.0.0/16", "10.32.0.0/16"], allocated.Select(a => a.Service.ToString()));
    }

    [Fact]
    public void Allocation_skips_every_range_that_is_taken()
    {
        var allocated = CidrAllocator.Allocate([(null, "10.22.0.0/16"), ("10.21.0.0/16", null), (null, null)]);

        Assert.Equal(["10.11.0.0/16", "10.21.0.0/16", "10.31.0.0/16"], allocated.Select(a => a.Pod.ToString()));
        Assert.Equal(["10.22.0.0/16", "10.32.0.0/16", "10.42.0.0/16"], allocated.Select(a => a.Service.ToString()));

        var shifted = CidrAllocator.Allocate([("10.11.0.0/16", "10.31.0.0/16"), (null, null), (null, null)]);
        Assert.Equal(["10.31.0.0/16", "10.22.0.0/16", "10.32.0.0/16"], shifted.Select(a => a.Service.ToString()));
        Assert.Equal(["10.11.0.0/16", "10.21.0.0/16", "10.41.0.0/16"], shifted.Select(a => a.Pod.ToString()));
    }
}
