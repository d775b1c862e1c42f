using LgtmLab.AppHost.Tools;

namespace LgtmLab.Tests.Tools;

public sealed class GatewayStatusTests
{
    // `linkerd multicluster gateways` at edge-26.8.3 as multicluster/cmd/gateways.go and cli/table/table.go print it:
    // CLUSTER/ALIVE left-aligned (widths 7, 5, grown to the longest value), NUM_SVC/LATENCY right-aligned in 9 and 11,
    // every cell followed by two spaces, rows sorted by cluster, "-" for the latency of a gateway that is not alive.
    private static readonly string[] Upstream =
    [
        "CLUSTER       ALIVE    NUM_SVC      LATENCY  ",
        "lgtm-central  True           3          2ms  ",
        "lgtm-east     False          0            -  ",
    ];

    [Fact]
    public void Reads_the_table_linkerd_edge_26_8_3_prints()
    {
        var rows = GatewayStatus.ParseTable(Upstream);

        Assert.Equal(
            [new GatewayStatus("lgtm-central", true, 3, "2ms"), new GatewayStatus("lgtm-east", false, 0, "-")],
            rows);
    }

    [Fact]
    public void No_linked_gateway_is_the_header_alone()
    {
        Assert.Empty(GatewayStatus.ParseTable(["CLUSTER  ALIVE    NUM_SVC      LATENCY  "]));
    }
}
