namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The flags one command of a real CLI accepts: those that take a value and the boolean ones. A fake parses its
/// argv with the set of the command it answers, so a flag the real command does not define is refused, as
/// cobra/pflag refuses it (spf13/pflag flag.go: "unknown flag: --x", "unknown shorthand flag: 'x' in -x").
/// </summary>
internal sealed record FlagSet(IReadOnlySet<string> ValueFlags, IReadOnlySet<string> BoolFlags)
{
    public static FlagSet Of(IEnumerable<string> valueFlags, IEnumerable<string> boolFlags) =>
        new(new HashSet<string>(valueFlags, StringComparer.Ordinal), new HashSet<string>(boolFlags, StringComparer.Ordinal));

    /// <summary>This set and <paramref name="other"/>'s flags (a command's own flags plus the persistent ones of its parents).</summary>
    public FlagSet With(FlagSet other) => Of(ValueFlags.Concat(other.ValueFlags), BoolFlags.Concat(other.BoolFlags));

    public bool Knows(string name) => ValueFlags.Contains(name) || BoolFlags.Contains(name);
}
