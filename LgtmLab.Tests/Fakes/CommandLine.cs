namespace LgtmLab.Tests.Fakes;

/// <summary>
/// argv split the way cobra/pflag does: "--flag value", "--flag=value", "-f value", "-fvalue" for the flags
/// known to take a value; any other flag is boolean ("--wait" or "--wait=watcher"). "--" ends the flags.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> flags = new(StringComparer.Ordinal);

    private CommandLine() { }

    public List<string> Positionals { get; } = [];

    /// <summary>
    /// Strict parse: a flag that <paramref name="flags"/> does not name is refused with pflag's message
    /// (<see cref="ArgumentException"/>), as the real command refuses it.
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args, FlagSet flags) => Parse(args, flags.ValueFlags, flags);

    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlySet<string> valueFlags) => Parse(args, valueFlags, null);

    private static CommandLine Parse(IReadOnlyList<string> args, IReadOnlySet<string> valueFlags, FlagSet? known)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") { result.Positionals.AddRange(args.Skip(i + 1)); break; }
            if (arg.Length < 2 || arg[0] != '-' || arg == "-") { result.Positionals.Add(arg); continue; }
            string name;
            string? value = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = eq > 0 ? arg[..eq] : arg;
                if (eq > 0) value = arg[(eq + 1)..];
            }
            else
            {
                name = arg[..2];
                if (arg.Length > 2) value = arg[2] == '=' ? arg[3..] : arg[2..];
            }
            if (known is not null && !known.Knows(name))
            {
                // spf13/pflag flag.go (parseLongArg / parseSingleShortArg)
                throw new ArgumentException(name.StartsWith("--", StringComparison.Ordinal)
                    ? $"unknown flag: {name}"
                    : $"unknown shorthand flag: '{name[1]}' in {arg}");
            }
            if (value is null && valueFlags.Contains(name))
                value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"flag needs an argument: {name}");
            if (!result.flags.TryGetValue(name, out var values)) result.flags[name] = values = [];
            values.Add(value ?? "true");
        }
        return result;
    }

    /// <summary>The last value of any of the names ("-n", "--namespace"), or null.</summary>
    public string? Get(params string[] names) =>
        names.SelectMany(n => flags.TryGetValue(n, out var v) ? v : []).LastOrDefault();

    /// <summary>Every value of the names, in order.</summary>
    public IReadOnlyList<string> All(params string[] names) => [.. names.SelectMany(n => flags.TryGetValue(n, out var v) ? v : [])];

    public bool Has(params string[] names) => names.Any(n => flags.TryGetValue(n, out var v) && v.Any(x => x != "false"));

    public string Positional(int index) => Positionals.ElementAtOrDefault(index) ?? "";
}
