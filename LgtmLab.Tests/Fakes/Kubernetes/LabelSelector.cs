using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>Kubernetes label and field selectors: =, ==, !=, in (...), notin (...), key, !key.</summary>
internal sealed class LabelSelector
{
    private readonly List<Func<Func<string, string?>, bool>> _terms = [];

    private LabelSelector() { }

    public static LabelSelector Parse(string? selector)
    {
        var result = new LabelSelector();
        foreach (var raw in SplitTerms(selector ?? ""))
        {
            var term = raw.Trim();
            if (term.Length == 0) continue;
            result._terms.Add(ParseTerm(term));
        }
        return result;
    }

    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        return _terms.All(t => t(key => labels?[key] is JsonNode v ? (string?)v : null));
    }

    /// <summary>Field selector over metadata.name / metadata.namespace (and any dotted string field).</summary>
    public bool MatchesFields(JsonObject obj) =>
        _terms.All(t => t(path =>
        {
            JsonNode? node = obj;
            foreach (var part in path.Split('.')) node = node?[part];
            return node.AsText();
        }));

    private static Func<Func<string, string?>, bool> ParseTerm(string term)
    {
        if (term.StartsWith('!')) { var key = term[1..].Trim(); return get => get(key) is null; }
        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at < 0) continue;
            var key = term[..at].Trim();
            var values = term[(at + op.Length)..].Trim().TrimStart('(').TrimEnd(')')
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return get => get(key) is { } v ? values.Contains(v) != negate : negate;
        }
        var ne = term.IndexOf("!=", StringComparison.Ordinal);
        if (ne >= 0) { var key = term[..ne].Trim(); var value = term[(ne + 2)..].Trim(); return get => get(key) != value; }
        var eq = term.IndexOf('=');
        if (eq >= 0)
        {
            var key = term[..eq].Trim();
            var value = term[(eq + 1)..].TrimStart('=').Trim();
            return get => get(key) == value;
        }
        return get => get(term) is not null;
    }

    private static IEnumerable<string> SplitTerms(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '(') depth++;
            else if (selector[i] == ')') depth--;
            else if (selector[i] == ',' && depth == 0) { yield return selector[start..i]; start = i + 1; }
        }
        yield return selector[start..];
    }
}
