using System.Text.RegularExpressions;

namespace LgtmLab.AppHost.Steps;

/// <summary>Fills <c>{{ name }}</c> placeholders of a lab-assets manifest; a placeholder without a value is an error.</summary>
public static partial class ManifestTemplate
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();

    public static string Render(string template, IReadOnlyDictionary<string, string> variables, string source) =>
        Placeholder().Replace(template, m => variables.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new InvalidDataException($"{source} uses {{{{ {m.Groups[1].Value} }}}}, which the lab does not provide (it provides: {string.Join(", ", variables.Keys)})"));
}
