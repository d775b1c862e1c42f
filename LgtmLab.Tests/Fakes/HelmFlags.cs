namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The flags of each helm v4.1.4 command the fake answers, transcribed from helm v4.1.4 (checked against the real
/// binary's --help, and by <c>HelmFlagsTests</c> against the real helm). Flags with a NoOptDefVal in pflag
/// (--wait, --dry-run, upgrade's --server-side) are listed as boolean: "--wait" or "--wait=watcher", never "--wait x".
/// </summary>
internal static class HelmFlags
{
    // pkg/cli/environment.go (EnvSettings.AddFlags) and pkg/cmd/root.go (--color/--colour, --content-cache).
    public static readonly FlagSet Global = FlagSet.Of(
        ["--burst-limit", "--color", "--colour", "--content-cache", "--kube-apiserver", "--kube-as-group", "--kube-as-user", "--kube-ca-file",
         "--kube-context", "--kube-tls-server-name", "--kube-token", "--kubeconfig", "-n", "--namespace", "--qps", "--registry-config",
         "--repository-cache", "--repository-config"],
        ["--debug", "-h", "--help", "--kube-insecure-skip-tls-verify"]);

    // pkg/cmd/flags.go bindOutputFlag.
    private static readonly string[] Output = ["-o", "--output"];

    // pkg/cmd/version.go
    public static readonly FlagSet Version = FlagSet.Of(["--template"], ["--short"]).With(Global);

    // pkg/cmd/list.go
    public static readonly FlagSet List = FlagSet.Of(
        ["-f", "--filter", "-m", "--max", "--offset", "-l", "--selector", "--time-format", .. Output],
        ["-A", "--all-namespaces", "-d", "--date", "--deployed", "--failed", "--no-headers", "--pending", "-r", "--reverse", "-q", "--short",
         "--superseded", "--uninstalled", "--uninstalling"]).With(Global);

    // pkg/cmd/install.go addInstallFlags + addValueOptionsFlags + addChartPathOptionsFlags (pkg/cmd/flags.go), shared by upgrade.
    private static readonly string[] ChartValueFlags =
    [
        "--ca-file", "--cert-file", "--description", "--key-file", "--keyring", "-l", "--labels", "--password", "--post-renderer",
        "--post-renderer-args", "--repo", "--set", "--set-file", "--set-json", "--set-literal", "--set-string", "--timeout", "--username",
        "-f", "--values", "--version", .. Output,
    ];

    private static readonly string[] ChartBoolFlags =
    [
        "--create-namespace", "--dependency-update", "--devel", "--disable-openapi-validation", "--dry-run", "--enable-dns", "--force-conflicts",
        "--force-replace", "--hide-notes", "--hide-secret", "--insecure-skip-tls-verify", "--no-hooks", "--pass-credentials", "--plain-http",
        "--render-subchart-notes", "--rollback-on-failure", "--server-side", "--skip-crds", "--skip-schema-validation", "--take-ownership",
        "--verify", "--wait", "--wait-for-jobs",
    ];

    // pkg/cmd/upgrade.go
    public static readonly FlagSet Upgrade = FlagSet.Of(
        [.. ChartValueFlags, "--history-max"],
        [.. ChartBoolFlags, "--cleanup-on-fail", "-i", "--install", "--reset-then-reuse-values", "--reset-values", "--reuse-values"]).With(Global);

    // pkg/cmd/install.go
    public static readonly FlagSet Install = FlagSet.Of(
        [.. ChartValueFlags, "--name-template"],
        [.. ChartBoolFlags, "-g", "--generate-name", "--replace"]).With(Global);

    // pkg/cmd/rollback.go
    public static readonly FlagSet Rollback = FlagSet.Of(
        ["--history-max", "--timeout"],
        ["--cleanup-on-fail", "--dry-run", "--force-conflicts", "--force-replace", "--no-hooks", "--server-side", "--wait", "--wait-for-jobs"]).With(Global);

    // pkg/cmd/uninstall.go
    public static readonly FlagSet Uninstall = FlagSet.Of(
        ["--cascade", "--description", "--timeout"],
        ["--dry-run", "--ignore-not-found", "--keep-history", "--no-hooks", "--wait"]).With(Global);

    // pkg/cmd/status.go, pkg/cmd/history.go, pkg/cmd/get_values.go
    public static readonly FlagSet Status = FlagSet.Of(["--revision", .. Output], []).With(Global);

    public static readonly FlagSet History = FlagSet.Of(["--max", .. Output], []).With(Global);

    public static readonly FlagSet GetValues = FlagSet.Of(["--revision", .. Output], ["-a", "--all"]).With(Global);

    // pkg/cmd/repo_add.go, repo_update.go, repo_list.go
    public static readonly FlagSet RepoAdd = FlagSet.Of(
        ["--ca-file", "--cert-file", "--key-file", "--password", "--timeout", "--username"],
        ["--allow-deprecated-repos", "--force-update", "--insecure-skip-tls-verify", "--pass-credentials", "--password-stdin"]).With(Global);

    public static readonly FlagSet RepoUpdate = FlagSet.Of(["--timeout"], []).With(Global);

    public static readonly FlagSet RepoList = FlagSet.Of([.. Output], ["--no-headers"]).With(Global);

    /// <summary>Every table with the command words it belongs to (for the test that the real helm accepts each flag).</summary>
    public static readonly IReadOnlyList<(string[] Command, FlagSet Flags)> Commands =
    [
        (["version"], Version), (["list"], List), (["upgrade"], Upgrade), (["install"], Install), (["rollback"], Rollback),
        (["uninstall"], Uninstall), (["status"], Status), (["history"], History), (["get", "values"], GetValues),
        (["repo", "add"], RepoAdd), (["repo", "update"], RepoUpdate), (["repo", "list"], RepoList),
    ];

    /// <summary>The table of the command <paramref name="argv"/> names (its first non-flag words), or the global flags only.</summary>
    public static FlagSet For(IReadOnlyList<string> argv)
    {
        var words = CommandWords(argv);
        string? Canonical(string word) => word switch { "ls" => "list", "hist" => "history", "delete" or "del" or "un" => "uninstall", _ => word };
        var first = Canonical(words.FirstOrDefault() ?? "");
        foreach (var (command, flags) in Commands)
            if (command[0] == first && (command.Length == 1 || words.ElementAtOrDefault(1) == command[1])) return flags;
        return Global;
    }

    // Only to pick the table: the strict parse with that table then refuses whatever flag it does not name.
    private static List<string> CommandWords(IReadOnlyList<string> argv)
    {
        var words = new List<string>();
        for (var i = 0; i < argv.Count && words.Count < 2; i++)
        {
            if (argv[i] == "--") break;
            if (!argv[i].StartsWith('-')) words.Add(argv[i]);
            else if (Global.ValueFlags.Contains(argv[i])) i++;
        }
        return words;
    }
}
