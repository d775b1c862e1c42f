using System.Text;
using System.Text.RegularExpressions;

namespace LgtmLab.AppHost.Configuration;

/// <summary>
/// Renders the templates of lab-assets. The only syntax: <c>{{ name }}</c> (a value the lab fills in),
/// <c>{{ if name }}</c> ... <c>{{ end }}</c> (lines kept only when the lab says so), <c>{{ range name }}</c> ...
/// <c>{{ end }}</c> (lines repeated per item, e.g. per tenant) and <c>{{/* comment */}}</c> (dropped). A tag
/// alone on its line takes the line with it. Anything else between double braces, a placeholder the lab does
/// not fill, or an unclosed block is an error naming the file, the line and the placeholder: a broken edit
/// stops the lab before anything is deployed.
/// </summary>
internal static partial class LabTemplate
{
    [GeneratedRegex(@"\{\{(/\*.*?\*/|.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"^(?:(?<block>range|if)\s+)?(?<name>[A-Za-z][A-Za-z0-9_]*)$")]
    private static partial Regex Name();

    /// <summary>Renders the template file <paramref name="file"/>.</summary>
    public static string RenderFile(string file, TemplateValues values)
    {
        if (!File.Exists(file))
            throw new FileNotFoundException($"The lab-assets template {file} is missing: restore it from the repository (git checkout -- {file}).", file);
        return Render(File.ReadAllText(file), values, file);
    }

    /// <summary>Renders <paramref name="template"/>; <paramref name="source"/> names it in errors.</summary>
    public static string Render(string template, TemplateValues values, string source)
    {
        var nodes = Parse(template, source);
        var output = new StringBuilder(template.Length);
        Write(nodes, [values], output, source);
        return output.ToString();
    }

    private abstract record Node(int Line);
    private sealed record Text(string Value) : Node(0);
    private sealed record Value(string Name, int Line) : Node(Line);
    private sealed record Block(string Kind, string Name, int Line, List<Node> Body) : Node(Line);

    private static List<Node> Parse(string template, string source)
    {
        var root = new List<Node>();
        var open = new Stack<(Block Block, List<Node> Outer)>();
        var current = root;
        var position = 0;
        foreach (Match tag in Tag().Matches(template))
        {
            var inner = tag.Groups[1].Value.Trim();
            var line = LineOf(template, tag.Index);
            var isComment = inner.StartsWith("/*", StringComparison.Ordinal) && inner.EndsWith("*/", StringComparison.Ordinal);
            var name = Name().Match(inner);
            if (!isComment && !name.Success && inner != "end")
                throw new InvalidDataException(
                    $"{source} line {line}: {{{{{tag.Groups[1].Value}}}}} is not a placeholder: use {{{{ name }}}}, {{{{ if name }}}}, {{{{ range name }}}}, {{{{ end }}}} or {{{{/* comment */}}}}.");

            var isValue = !isComment && inner != "end" && !name.Groups["block"].Success;
            var (start, end) = isValue ? (tag.Index, tag.Index + tag.Length) : StandaloneSpan(template, tag);
            AddText(current, template[position..start], source, template, position);
            position = end;

            if (isComment)
                continue;
            if (isValue)
            {
                current.Add(new Value(inner, line));
            }
            else if (inner == "end")
            {
                if (open.Count == 0)
                    throw new InvalidDataException($"{source} line {line}: {{{{ end }}}} closes no {{{{ if }}}} or {{{{ range }}}}: remove it.");
                current = open.Pop().Outer;
            }
            else
            {
                var block = new Block(name.Groups["block"].Value, name.Groups["name"].Value, line, []);
                current.Add(block);
                open.Push((block, current));
                current = block.Body;
            }
        }
        AddText(current, template[position..], source, template, position);
        if (open.Count > 0)
        {
            var unclosed = open.Peek().Block;
            throw new InvalidDataException($"{source} line {unclosed.Line}: {{{{ {unclosed.Kind} {unclosed.Name} }}}} has no {{{{ end }}}}: add one where its lines end.");
        }
        return root;
    }

    private static void AddText(List<Node> nodes, string text, string source, string template, int offset)
    {
        var unclosed = text.IndexOf("{{", StringComparison.Ordinal);
        if (unclosed >= 0)
            throw new InvalidDataException($"{source} line {LineOf(template, offset + unclosed)}: a {{{{ without its }}}}: close the placeholder.");
        if (text.Length > 0)
            nodes.Add(new Text(text));
    }

    /// <summary>A block or comment tag alone on its line spans the whole line, its newline included.</summary>
    private static (int Start, int End) StandaloneSpan(string template, Match tag)
    {
        var lineStart = template.LastIndexOf('\n', Math.Max(tag.Index - 1, 0)) + 1;
        if (tag.Index == 0) lineStart = 0;
        var lineEnd = template.IndexOf('\n', tag.Index + tag.Length);
        var after = lineEnd < 0 ? template.Length : lineEnd;
        return string.IsNullOrWhiteSpace(template[lineStart..tag.Index]) && string.IsNullOrWhiteSpace(template[(tag.Index + tag.Length)..after])
            ? (lineStart, lineEnd < 0 ? template.Length : lineEnd + 1)
            : (tag.Index, tag.Index + tag.Length);
    }

    private static void Write(List<Node> nodes, List<TemplateValues> scopes, StringBuilder output, string source)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case Text text:
                    output.Append(text.Value);
                    break;
                case Value value:
                    output.Append(Lookup(scopes, value.Name, out var found) ? found : throw Unknown(scopes, value.Name, value.Line, source, "{{ " + value.Name + " }}"));
                    break;
                case Block block:
                    var items = scopes.AsEnumerable().Reverse().Select(s => s.TryGetBlock(block.Name, out var i) ? i : null).FirstOrDefault(i => i is not null)
                        ?? throw Unknown(scopes, block.Name, block.Line, source, $"{{{{ {block.Kind} {block.Name} }}}}");
                    foreach (var item in items)
                        Write(block.Body, [.. scopes, item], output, source);
                    break;
            }
        }
    }

    private static bool Lookup(List<TemplateValues> scopes, string name, out string value)
    {
        for (var i = scopes.Count - 1; i >= 0; i--)
            if (scopes[i].TryGetValue(name, out value))
                return true;
        value = "";
        return false;
    }

    private static InvalidDataException Unknown(List<TemplateValues> scopes, string name, int line, string source, string tag)
    {
        var values = scopes.SelectMany(s => s.ValueNames).Distinct().Order(StringComparer.Ordinal);
        var blocks = scopes.SelectMany(s => s.BlockNames).Distinct().Order(StringComparer.Ordinal).ToList();
        return new InvalidDataException(
            $"{source} line {line} uses {tag}, which the lab does not provide there (it provides: {string.Join(", ", values)}" +
            (blocks.Count > 0 ? $"; blocks: {string.Join(", ", blocks)}" : "") + "): fix the name or remove the placeholder.");
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;
}
