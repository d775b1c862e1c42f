namespace LgtmLab.Tests.Fakes;

/// <summary>How a cobra command validates its positional arguments (its <c>Args</c> field).</summary>
internal enum CobraArgs
{
    /// <summary><c>Args: nil</c>: any arguments (legacyArgs only checks a root's first word against its subcommands).</summary>
    Arbitrary,

    /// <summary><c>cobra.NoArgs</c>: <c>unknown command "x" for "kind get clusters"</c>.</summary>
    None,

    /// <summary>At least one argument; otherwise the command's own message (<see cref="CobraCommand.MissingArgs"/>).</summary>
    AtLeastOne,

    /// <summary><c>cobra.MaximumNArgs(1)</c>: <c>accepts at most 1 arg(s), received 2</c> (cobra v1.8.0 args.go).</summary>
    AtMostOne,
}

/// <summary>
/// One command of a real cobra CLI as far as a fake needs it to accept or refuse an argv: its name and aliases,
/// local and persistent flags, how it checks positional arguments, whether it runs (a command without
/// Run/RunE prints help), and its subcommands. A command with <see cref="Transcribed"/> false is known by name
/// only (the product never runs it): the fake answers it as not implemented.
/// </summary>
internal sealed record CobraCommand(string Name)
{
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public FlagSet Flags { get; init; } = FlagSet.Of([], []);

    public FlagSet Persistent { get; init; } = FlagSet.Of([], []);

    public CobraArgs Args { get; init; } = CobraArgs.Arbitrary;

    public string MissingArgs { get; init; } = "";

    public bool Runnable { get; init; } = true;

    /// <summary>Parent commands without their own action print help and fail with this (kind: "Subcommand is required").</summary>
    public string? RunError { get; init; }

    public bool Transcribed { get; init; } = true;

    public IReadOnlyList<CobraCommand> Subcommands { get; init; } = [];

    /// <summary>A command known by name only (no flags transcribed).</summary>
    public static CobraCommand NameOnly(string name, params string[] aliases) => new(name) { Aliases = aliases, Transcribed = false };

    public CobraCommand? Find(string word) =>
        Subcommands.FirstOrDefault(c => c.Name == word || c.Aliases.Contains(word));
}
