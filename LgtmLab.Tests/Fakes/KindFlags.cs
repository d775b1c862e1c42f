namespace LgtmLab.Tests.Fakes;

/// <summary>
/// kind v0.32.0's command tree and flags, transcribed from kubernetes-sigs/kind pkg/cmd/kind/** at the tag.
/// The commands the lab runs are transcribed whole; their siblings are known by name only. Parents other than
/// the root have a RunE that prints help and returns "Subcommand is required" (cobra passes them any word:
/// their Args is nil and legacyArgs checks only a root), except `load`, whose Args is cobra.NoArgs.
/// </summary>
internal static class KindFlags
{
    private const string SubcommandRequired = "Subcommand is required";

    private static FlagSet Name(params string[] more) => FlagSet.Of(["--name", "-n", .. more], []);

    public static CobraCommand Root { get; } = new("kind")
    {
        // pkg/cmd/kind/root.go: -v/--verbosity int32, -q/--quiet; Version is set, so cobra adds --version (-v is taken).
        Persistent = FlagSet.Of(["--verbosity", "-v"], ["--quiet", "-q"]),
        Flags = FlagSet.Of([], ["--version"]),
        Runnable = false,
        Subcommands =
        [
            CobraCommand.NameOnly("build"),
            CobraCommand.NameOnly("completion"),
            CobraCommand.NameOnly("help"),
            // pkg/cmd/kind/create/create.go
            new("create")
            {
                RunError = SubcommandRequired,
                Subcommands =
                [
                    // pkg/cmd/kind/create/cluster/createcluster.go: Args NoArgs
                    new("cluster")
                    {
                        Args = CobraArgs.None,
                        Flags = FlagSet.Of(["--name", "-n", "--config", "--image", "--wait", "--kubeconfig"], ["--retain"]),
                    },
                ],
            },
            // pkg/cmd/kind/delete/delete.go
            new("delete")
            {
                RunError = SubcommandRequired,
                Subcommands =
                [
                    // pkg/cmd/kind/delete/cluster/deletecluster.go: Args NoArgs
                    new("cluster") { Args = CobraArgs.None, Flags = Name("--kubeconfig") },
                    CobraCommand.NameOnly("clusters"),
                ],
            },
            // pkg/cmd/kind/export/export.go
            new("export")
            {
                RunError = SubcommandRequired,
                Subcommands =
                [
                    // pkg/cmd/kind/export/kubeconfig/kubeconfig.go: Args NoArgs
                    new("kubeconfig") { Args = CobraArgs.None, Flags = FlagSet.Of(["--name", "-n", "--kubeconfig"], ["--internal"]) },
                    // pkg/cmd/kind/export/logs/logs.go: Args MaximumNArgs(1) ([output-dir]), --name/-n
                    new("logs") { Args = CobraArgs.AtMostOne, Flags = Name() },
                ],
            },
            // pkg/cmd/kind/get/get.go
            new("get")
            {
                RunError = SubcommandRequired,
                Subcommands =
                [
                    // pkg/cmd/kind/get/clusters/clusters.go: Args NoArgs, no flags
                    new("clusters") { Args = CobraArgs.None },
                    // pkg/cmd/kind/get/nodes/nodes.go: Args NoArgs
                    new("nodes") { Args = CobraArgs.None, Flags = FlagSet.Of(["--name", "-n"], ["--all-clusters", "-A"]) },
                    CobraCommand.NameOnly("kubeconfig"),
                ],
            },
            // pkg/cmd/kind/version/version.go: no Args, no flags
            new("version"),
            // pkg/cmd/kind/load/load.go: Args NoArgs (so `kind load x` is an unknown command), RunE prints help
            new("load")
            {
                Args = CobraArgs.None,
                RunError = SubcommandRequired,
                Subcommands =
                [
                    CobraCommand.NameOnly("docker-image"),
                    // pkg/cmd/kind/load/image-archive/image-archive.go: --name/-n, --nodes (string slice); Args: at least one
                    new("image-archive")
                    {
                        Args = CobraArgs.AtLeastOne,
                        MissingArgs = "name of image archive is required",
                        Flags = Name("--nodes"),
                    },
                ],
            },
        ],
    };
}
