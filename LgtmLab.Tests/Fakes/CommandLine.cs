namespace LgtmLab.Tests.Fakes;

/// <summary>
/// argv split the way spf13/pflag does for one command's <see cref="FlagSet"/>: "--flag value", "--flag=value",
/// "-f value", "-fvalue", "-abc" (bool shorthands in a row) for the flags it names; any other flag is refused with
/// pflag's message, as the real command refuses it. "--" ends the flags.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _flags = new(StringComparer.Ordinal);

    private CommandLine() { }

    public List<string> Positionals { get; } = [];

    /// <summary>
    /// Strict parse (<see cref="ArgumentException"/> with pflag's message on an unknown flag or a missing value).
    /// <paramref name="interspersed"/> false stops at the first positional, as pflag's SetInterspersed(false) does
    /// (docker's root and `docker exec`): the rest, flags too, are positionals.
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args, FlagSet known, bool interspersed = true)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") { result.Positionals.AddRange(args.Skip(i + 1)); break; }
            if (arg.Length < 2 || arg[0] != '-' || arg == "-")
            {
                if (!interspersed) { result.Positionals.AddRange(args.Skip(i)); break; }
                result.Positionals.Add(arg);
                continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=');
                var name = eq > 0 ? arg[..eq] : arg;
                var value = eq > 0 ? arg[(eq + 1)..] : null;
                // spf13/pflag flag.go parseLongArg
                if (!known.Knows(name)) throw new ArgumentException($"unknown flag: {name}");
                if (value is null && known.ValueFlags.Contains(name))
                    value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"flag needs an argument: {name}");
                result.Add(name, value ?? "true");
                continue;
            }
            // spf13/pflag flag.go parseShortArg/parseSingleShortArg: bool shorthands may follow each other ("-it").
            for (var at = 1; at < arg.Length; at++)
            {
                var name = "-" + arg[at];
                if (!known.Knows(name)) throw new ArgumentException($"unknown shorthand flag: '{arg[at]}' in -{arg[at..]}");
                var rest = arg[(at + 1)..];
                if (rest.StartsWith('=')) { result.Add(name, rest[1..]); break; }
                if (!known.ValueFlags.Contains(name)) { result.Add(name, "true"); continue; }
                if (rest.Length > 0) { result.Add(name, rest); break; }
                result.Add(name, i + 1 < args.Count ? args[++i] : throw new ArgumentException($"flag needs an argument: '{arg[at]}' in -{arg[at..]}"));
                break;
            }
        }
        return result;
    }

    private void Add(string name, string value)
    {
        if (!_flags.TryGetValue(name, out var values)) _flags[name] = values = [];
        values.Add(value);
    }

    /// <summary>The last value of any of the names ("-n", "--namespace"), or null.</summary>
    public string? Get(params string[] names) =>
        names.SelectMany(n => _flags.TryGetValue(n, out var v) ? v : []).LastOrDefault();

    /// <summary>Every value of the names, in order.</summary>
    public IReadOnlyList<string> All(params string[] names) => [.. names.SelectMany(n => _flags.TryGetValue(n, out var v) ? v : [])];

    public bool Has(params string[] names) => names.Any(n => _flags.TryGetValue(n, out var v) && v.Any(x => x != "false"));

    public string Positional(int index) => Positionals.ElementAtOrDefault(index) ?? "";
}
