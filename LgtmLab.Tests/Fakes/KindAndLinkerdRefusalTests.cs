namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake kind and linkerd refuse what kind v0.32.0 and linkerd edge-26.8.3 refuse (no real binary here, so
/// their cobra trees are transcribed: <see cref="KindFlags"/>, <see cref="LinkerdFlags"/>), with the real message:
/// a lab command line with a flag the pinned tool lacks fails its step instead of passing the suite.
/// </summary>
public sealed class KindAndLinkerdRefusalTests : IAsyncLifetime
{
    private FakeToolbox _toolbox = null!;

    public Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    [Theory]
    // kind: cmd/kind/app/main.go prints "ERROR: <err>" and exits 1 (the root silences cobra's own printing).
    [InlineData("create cluster --name a --frob", "ERROR: unknown flag: --frob\n")]
    [InlineData("create cluster --name a -x", "ERROR: unknown shorthand flag: 'x' in -x\n")]
    [InlineData("get clusters --name a", "ERROR: unknown flag: --name\n")]
    [InlineData("get kubeconfigs", "ERROR: Subcommand is required\n")]
    [InlineData("frob", "ERROR: unknown command \"frob\" for \"kind\"\n")]
    [InlineData("delete cluster extra", "ERROR: unknown command \"extra\" for \"kind delete cluster\"\n")]
    [InlineData("load image-archive --name a", "ERROR: name of image archive is required\n")]
    [InlineData("load image-archive --all a.tar", "ERROR: unknown flag: --all\n")]
    [InlineData("export kubeconfig --name a --context b", "ERROR: unknown flag: --context\n")]
    // pkg/cmd/kind/export/logs/logs.go: Args MaximumNArgs(1) (cobra v1.8.0 args.go), then "unknown cluster %q" without nodes
    [InlineData("export logs /tmp/a /tmp/b --name a", "ERROR: accepts at most 1 arg(s), received 2\n")]
    [InlineData("export logs /tmp/a --kubeconfig b", "ERROR: unknown flag: --kubeconfig\n")]
    [InlineData("export logs /tmp/lgtmlab-no-cluster --name nope", "ERROR: unknown cluster \"nope\"\n")]
    public async Task Kind_refuses_what_v0_32_0_refuses(string argv, string stderr)
    {
        var result = await _toolbox.RunAsync("kind", argv.Split(' '));

        Assert.Equal((1, stderr), (result.ExitCode, result.Stderr));
    }

    [Theory]
    // linkerd: the root does not silence errors, so cobra prints "Error: <err>"; cli/main.go exits 1.
    [InlineData("multicluster gateways --frob", "Error: unknown flag: --frob\n")]
    [InlineData("multicluster check -x", "Error: unknown shorthand flag: 'x' in -x\n")]
    [InlineData("mc link-gen --cluster-name a --gateway-address 1.2.3.4", "Error: unknown flag: --gateway-address\n")]
    [InlineData("version extra", "Error: unknown command \"extra\" for \"linkerd version\"\n")]
    [InlineData("frob", "Error: unknown command \"frob\" for \"linkerd\"\nRun 'linkerd --help' for usage.\n")]
    // cli/main.go: root.Find fails (cobra's stripFlags skips the bool --verbose) and the first word is a flag.
    [InlineData("--verbose frob", "Cannot accept flags before Linkerd extension name\n")]
    // ...but here stripFlags takes "version" as the value of the unknown --frob, Find succeeds and Execute refuses the flag.
    [InlineData("--frob version", "Error: unknown flag: --frob\n")]
    public async Task Linkerd_refuses_what_edge_26_8_3_refuses(string argv, string stderr)
    {
        var result = await _toolbox.RunAsync("linkerd", argv.Split(' '));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(stderr, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kind", "get clusters")]
    [InlineData("kind", "get nodes --name lgtm-central")]
    [InlineData("linkerd", "version --client --short")]
    public async Task The_same_commands_without_the_bad_flag_run(string tool, string argv)
    {
        var result = await _toolbox.RunAsync(tool, argv.Split(' '));

        Assert.Equal((0, ""), (result.ExitCode, result.Stderr.Replace("No kind nodes found for cluster \"lgtm-central\".\n", "", StringComparison.Ordinal)
            .Replace("No kind clusters found.\n", "", StringComparison.Ordinal)));
    }
}
