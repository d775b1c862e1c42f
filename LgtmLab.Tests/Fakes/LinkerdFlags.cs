namespace LgtmLab.Tests.Fakes;

/// <summary>
/// linkerd edge-26.8.3's command tree and flags, transcribed from linkerd/linkerd2 at the tag (cli/cmd/root.go,
/// cli/cmd/version.go, multicluster/cmd/root.go, link-gen.go, check.go, gateways.go). The commands the lab runs
/// are transcribed whole; their siblings are known by name only. The root and `multicluster` have no Run, so
/// cobra prints their help; an unknown first word of the root is cobra's "unknown command" error.
/// </summary>
internal static class LinkerdFlags
{
    // multicluster/cmd/root.go: the extension's persistent flags, the same names as the root's (they shadow them).
    private static readonly FlagSet MulticlusterPersistent =
        FlagSet.Of(["--linkerd-namespace", "-L", "--kubeconfig", "--context", "--as", "--as-group", "--api-addr"], ["--verbose"]);

    public static CobraCommand Root { get; } = new("linkerd")
    {
        // cli/cmd/root.go
        Persistent = FlagSet.Of(
            ["--linkerd-namespace", "-L", "--cni-namespace", "--kubeconfig", "--context", "--as", "--as-group", "--api-addr"], ["--verbose"]),
        Runnable = false,
        Subcommands =
        [
            .. new[]
            {
                "authz", "check", "completion", "doc", "identity", "inject", "install", "install-cni", "profile",
                "prune", "uninject", "uninstall", "upgrade", "viz", "dashboard", "edges", "routes", "stat", "tap", "top", "help",
            }.Select(n => CobraCommand.NameOnly(n)),
            CobraCommand.NameOnly("diagnostics", "dg"),
            // cli/cmd/version.go: Args NoArgs; its flags are persistent ones of `version`
            new("version")
            {
                Args = CobraArgs.None,
                Persistent = FlagSet.Of(["--namespace", "-n"], ["--short", "--client", "--proxy"]),
            },
            // multicluster/cmd/root.go: Args NoArgs, no Run (help, exit 0)
            new("multicluster")
            {
                Aliases = ["mc"],
                Args = CobraArgs.None,
                Runnable = false,
                Persistent = MulticlusterPersistent,
                Subcommands =
                [
                    CobraCommand.NameOnly("allow"),
                    CobraCommand.NameOnly("install"),
                    CobraCommand.NameOnly("link"),
                    CobraCommand.NameOnly("unlink"),
                    CobraCommand.NameOnly("uninstall"),
                    // multicluster/cmd/link-gen.go: Args NoArgs
                    new("link-gen")
                    {
                        Args = CobraArgs.None,
                        Flags = FlagSet.Of(
                            [
                                "--namespace", "--cluster-name", "--api-server-address", "--service-account-name", "--gateway-name",
                                "--gateway-namespace", "--selector", "-l", "--remote-discovery-selector", "--federated-service-selector",
                                "--gateway-addresses", "--gateway-port", "--excluded-annotations", "--excluded-labels", "--output", "-o",
                            ],
                            ["--gateway"]),
                    },
                    // multicluster/cmd/check.go: Args NoArgs; --proxy and -n/--namespace are hidden but defined
                    new("check")
                    {
                        Args = CobraArgs.None,
                        Flags = FlagSet.Of(["--output", "-o", "--wait", "--timeout", "--namespace", "-n"], ["--proxy"]),
                    },
                    // multicluster/cmd/gateways.go: Args NoArgs
                    new("gateways")
                    {
                        Args = CobraArgs.None,
                        Flags = FlagSet.Of(["--cluster-name", "--wait", "-w", "--output", "-o"], []),
                    },
                ],
            },
        ],
    };
}
