using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Mesh;

/// <summary>The fake `linkerd multicluster link-gen` refuses what the real one refuses (linkerd2 multicluster/cmd/link-gen.go).</summary>
public sealed class FakeLinkGenTests
{
    private static readonly string[] LinkGen = ["--context", "kind-east", "multicluster", "link-gen", "--cluster-name", "east", "--api-server-address", "https://172.18.0.2:6443"];

    private static Task<FakeRunResult> Helm(FakeToolbox toolbox, string release, string ns) =>
        toolbox.RunAsync("helm", "upgrade", "--install", release, release, "--repo", "https://helm.linkerd.io/edge", "--version", "2026.8.3",
            "--namespace", ns, "--create-namespace", "--kube-context", "kind-east");

    [Fact]
    public async Task Link_gen_needs_linkerd_and_a_gateway_with_an_ingress_address()
    {
        await using var toolbox = FakeToolbox.Create();
        Assert.Equal(0, (await toolbox.RunAsync("kind", "create", "cluster", "--name", "east")).ExitCode);

        var noName = await toolbox.RunAsync("linkerd", "--context", "kind-east", "multicluster", "link-gen");
        Assert.Equal((1, "Error: you need to specify cluster name\n"), (noName.ExitCode, noName.Stderr));

        var noLinkerd = await toolbox.RunAsync("linkerd", LinkGen);
        Assert.Equal((1, "Error: you need Linkerd to be installed on a cluster in order to get its credentials\n"), (noLinkerd.ExitCode, noLinkerd.Stderr));

        Assert.Equal(0, (await Helm(toolbox, "linkerd-control-plane", "linkerd")).ExitCode);
        Assert.Equal(0, (await Helm(toolbox, "linkerd-multicluster", "linkerd-multicluster")).ExitCode);

        // No MetalLB pool here, so the gateway's LoadBalancer Service never gets an address.
        var noAddress = await toolbox.RunAsync("linkerd", LinkGen);
        Assert.Equal(1, noAddress.ExitCode);
        Assert.Equal("Error: gateway linkerd-gateway.linkerd-multicluster has no ingress addresses\n", noAddress.Stderr);
        Assert.Empty(noAddress.Stdout);
    }

    [Theory]
    [InlineData("multicluster", "link-gen", "--cluster-name", "east", "--gateway=false")]
    [InlineData("multicluster", "link-gen", "--cluster-name", "east", "-o", "json")]
    [InlineData("multicluster", "check", "--timeout", "5s")]
    [InlineData("version", "--short")]
    public async Task Forms_the_lab_never_runs_are_not_simulated_but_reported_as_not_implemented(params string[] args)
    {
        await using var toolbox = FakeToolbox.Create();
        Assert.Equal(0, (await toolbox.RunAsync("kind", "create", "cluster", "--name", "east")).ExitCode);

        var result = await toolbox.RunAsync("linkerd", ["--context", "kind-east", .. args]);

        Assert.Equal(125, result.ExitCode);
        Assert.Contains("is not implemented by LgtmLab.Tests/Fakes", result.Stderr);
    }
}
