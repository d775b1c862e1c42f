namespace LgtmLab.Tests.Fakes;

/// <summary>What cobra decides for an argv before the command's own code runs.</summary>
internal enum CobraOutcome
{
    /// <summary>The command runs with <see cref="CobraParse.Line"/>.</summary>
    Run,

    /// <summary>cobra prints the command's help and exits 0 (--help, or a command without Run/RunE).</summary>
    Help,

    /// <summary>cobra's Find failed (an unknown first word of a root command): printed before any flag is parsed.</summary>
    FindError,

    /// <summary>A flag, argument or parent-command error (<see cref="CobraParse.Error"/>).</summary>
    Error,

    /// <summary>A real command the fake knows by name only.</summary>
    NotTranscribed,
}

/// <summary>
/// An argv resolved against a <see cref="CobraCommand"/> tree the way spf13/cobra's ExecuteC does it: Find walks
/// the first non-flag word at each level (stripFlags: a flag without "=" that is not boolean swallows the next
/// word, even an unknown one), legacyArgs refuses an unknown first word of a root, execute parses the flags of the
/// found command plus its parents' persistent ones (pflag refuses the rest), then help / not runnable, then Args.
/// Checked against cobra command.go and args.go (v1.8.0 for kind, v1.10.2 for linkerd: the same in these parts).
/// </summary>
internal sealed record CobraParse(CobraOutcome Outcome, string CommandPath, IReadOnlyList<string> Words, CommandLine? Line, string Error)
{
    private static readonly FlagSet HelpFlag = FlagSet.Of([], ["--help", "-h"]);

    public static CobraParse Resolve(CobraCommand root, IReadOnlyList<string> args)
    {
        var chain = new List<CobraCommand> { root };
        var rest = args.ToList();
        while (true)
        {
            var current = chain[^1];
            var flags = FlagsOf(chain);
            var words = StripFlags(rest, flags);
            if (words.Count == 0 || current.Find(rest[words[0]]) is not { } next) break;
            rest.RemoveAt(words[0]);
            chain.Add(next);
        }
        var command = chain[^1];
        var path = string.Join(' ', chain.Select(c => c.Name));
        var names = chain.Skip(1).Select(c => c.Name).ToList();
        if (command.Args == CobraArgs.Arbitrary && chain.Count == 1 && command.Subcommands.Count > 0
            && StripFlags(rest, FlagsOf(chain)) is [var first, ..])
        {
            var word = rest[first];
            return new(CobraOutcome.FindError, path, names, null, $"unknown command \"{word}\" for \"{path}\"{Suggestions(command, word)}");
        }
        if (!command.Transcribed) return new(CobraOutcome.NotTranscribed, path, names, null, "");

        CommandLine line;
        try { line = CommandLine.Parse(rest, FlagsOf(chain)); }
        catch (ArgumentException e) { return new(CobraOutcome.Error, path, names, null, e.Message); }
        if (line.Has("--help", "-h") || !command.Runnable) return new(CobraOutcome.Help, path, names, line, "");
        var positionals = line.Positionals;
        if (command.Args == CobraArgs.None && positionals.Count > 0)
            return new(CobraOutcome.Error, path, names, line, $"unknown command \"{positionals[0]}\" for \"{path}\"");
        if (command.Args == CobraArgs.AtLeastOne && positionals.Count == 0)
            return new(CobraOutcome.Error, path, names, line, command.MissingArgs);
        if (command.Args == CobraArgs.AtMostOne && positionals.Count > 1)
            return new(CobraOutcome.Error, path, names, line, $"accepts at most 1 arg(s), received {positionals.Count}");
        if (command.RunError is { } runError) return new(CobraOutcome.Error, path, names, line, runError);
        return new(CobraOutcome.Run, path, names, line, "");
    }

    /// <summary>The found command's flags: its own, its and its parents' persistent ones (a child's shadows a parent's), cobra's --help.</summary>
    private static FlagSet FlagsOf(IReadOnlyList<CobraCommand> chain) =>
        chain.Aggregate(chain[^1].Flags.With(HelpFlag), (set, c) => set.With(c.Persistent));

    /// <summary>The indexes of the non-flag words, as cobra's stripFlags finds them.</summary>
    private static List<int> StripFlags(IReadOnlyList<string> args, FlagSet flags)
    {
        var words = new List<int>();
        for (var i = 0; i < args.Count; i++)
        {
            var s = args[i];
            if (s == "--") break;
            var takesNext = !s.Contains('=', StringComparison.Ordinal)
                && ((s.StartsWith("--", StringComparison.Ordinal) && !flags.BoolFlags.Contains(s))
                    || (s.Length == 2 && s[0] == '-' && !flags.BoolFlags.Contains(s)));
            if (takesNext)
            {
                if (args.Count - i - 1 <= 1) break;
                i++;
                continue;
            }
            if (s.Length > 0 && s[0] != '-') words.Add(i);
        }
        return words;
    }

    /// <summary>cobra's findSuggestions: subcommands within Levenshtein distance 2 (case-insensitive) or with the word as prefix.</summary>
    private static string Suggestions(CobraCommand command, string word)
    {
        var found = command.Subcommands.Where(c =>
            Distance(word.ToLowerInvariant(), c.Name.ToLowerInvariant()) <= 2
            || c.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase)).Select(c => c.Name).ToList();
        return found.Count == 0 ? "" : "\n\nDid you mean this?\n" + string.Concat(found.Select(f => $"\t{f}\n"));
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
