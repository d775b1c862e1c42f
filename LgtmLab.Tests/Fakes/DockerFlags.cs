namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The flags of each docker client 28.2.2 command the fake answers, transcribed from the real client's help
/// (checked by <c>DockerFlagsTests</c> against the real docker). docker's root and `exec` parse their flags only up to
/// the first word (pflag SetInterspersed(false)), and the root's flags are not inherited: `docker info --context x`
/// is refused. --help/-h is a hidden persistent flag of the root, so every command takes it.
/// </summary>
internal static class DockerFlags
{
    private static readonly FlagSet Help = FlagSet.Of([], ["-h", "--help"]);

    // docker 28.2.2 `docker --help` (Global Options)
    public static readonly FlagSet Global = FlagSet.Of(
        ["--config", "-c", "--context", "-H", "--host", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey"],
        ["-D", "--debug", "--tls", "--tlsverify", "-v", "--version"]).With(Help);

    // docker 28.2.2 `docker info --help`
    public static readonly DockerCommand Info = new(["info"], "docker info [OPTIONS]", 0, FlagSet.Of(["-f", "--format"], []).With(Help));

    // docker 28.2.2 `docker network inspect --help`
    public static readonly DockerCommand NetworkInspect = new(["network", "inspect"], "docker network inspect [OPTIONS] NETWORK [NETWORK...]", 1,
        FlagSet.Of(["-f", "--format"], ["-v", "--verbose"]).With(Help));

    // docker 28.2.2 `docker inspect --help`
    public static readonly DockerCommand Inspect = new(["inspect"], "docker inspect [OPTIONS] NAME|ID [NAME|ID...]", 1,
        FlagSet.Of(["-f", "--format", "--type"], ["-s", "--size"]).With(Help));

    // docker 28.2.2 `docker exec --help`
    public static readonly DockerCommand Exec = new(["exec"], "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]", 2,
        FlagSet.Of(["--detach-keys", "-e", "--env", "--env-file", "-u", "--user", "-w", "--workdir"],
            ["-d", "--detach", "-i", "--interactive", "--privileged", "-t", "--tty"]).With(Help), Interspersed: false);

    // docker 28.2.2 `docker ps --help` (docker/cli v28.2.2 cli/command/container/list.go NewPsCommand: cli.NoArgs)
    public static readonly DockerCommand Ps = new(["ps"], "docker ps [OPTIONS]", 0,
        FlagSet.Of(["-f", "--filter", "--format", "-n", "--last"], ["-a", "--all", "-l", "--latest", "--no-trunc", "-q", "--quiet", "-s", "--size"]).With(Help));

    // docker 28.2.2 `docker start --help` (docker/cli v28.2.2 cli/command/container/start.go NewStartCommand: cli.RequiresMinArgs(1))
    public static readonly DockerCommand Start = new(["start"], "docker start [OPTIONS] CONTAINER [CONTAINER...]", 1,
        FlagSet.Of(["--checkpoint", "--checkpoint-dir", "--detach-keys"], ["-a", "--attach", "-i", "--interactive"]).With(Help));

    public static readonly IReadOnlyList<DockerCommand> Commands = [Info, NetworkInspect, Inspect, Exec, Ps, Start];

    // docker 28.2.2 `docker --help` (Common, Management, Swarm and other Commands; help and completion are cobra's hidden ones).
    public static readonly IReadOnlySet<string> TopLevel = new HashSet<string>(StringComparer.Ordinal)
    {
        "run", "exec", "ps", "build", "pull", "push", "images", "login", "logout", "search", "version", "info", "builder", "checkpoint",
        "container", "context", "image", "manifest", "network", "plugin", "system", "trust", "volume", "config", "node", "secret",
        "service", "stack", "swarm", "attach", "commit", "cp", "create", "diff", "events", "export", "history", "import", "inspect",
        "kill", "load", "logs", "pause", "port", "rename", "restart", "rm", "rmi", "save", "start", "stats", "stop", "tag", "top",
        "unpause", "update", "wait", "help", "completion",
    };

    // docker 28.2.2 `docker network --help`
    public static readonly IReadOnlySet<string> NetworkSubcommands = new HashSet<string>(StringComparer.Ordinal)
    {
        "connect", "create", "disconnect", "inspect", "ls", "list", "prune", "rm", "remove",
    };
}

/// <summary>
/// One docker command: its words, its usage line, its positionals (0: cli.NoArgs, n: cli.RequiresMinArgs(n)), its flags.
/// </summary>
internal sealed record DockerCommand(string[] Words, string Usage, int Args, FlagSet Flags, bool Interspersed = true)
{
    public string Path => "docker " + string.Join(' ', Words);
}
