using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The part of Go's text/template that docker --format and helm --template strings use: {{.A.B}},
/// {{json .A}}, {{range .A}}...{{end}}, {{index .A "key"}}, {{.Label "key"}}. Values print as Go prints them.
/// </summary>
internal static partial class GoTemplate
{
    public static string Render(string template, JsonNode? data)
    {
        var parts = ActionPattern().Split(template);
        var output = new StringBuilder();
        var position = 0;
        Render(parts, ref position, data, output, untilEnd: false);
        return output.ToString();
    }

    private static void Render(string[] parts, ref int position, JsonNode? dot, StringBuilder output, bool untilEnd)
    {
        while (position < parts.Length)
        {
            var isAction = position % 2 == 1;
            var part = parts[position++];
            if (!isAction) { output.Append(part); continue; }
            var action = part.Trim();
            if (action == "end")
            {
                if (untilEnd) return;
                throw new FormatException("template: unexpected {{end}}");
            }
            if (action.StartsWith("range ", StringComparison.Ordinal))
            {
                var items = Evaluate(action[6..].Trim(), dot);
                var bodyStart = position;
                var iterations = items switch
                {
                    JsonArray array => [.. array],
                    JsonObject obj => obj.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList(),
                    _ => new List<JsonNode?>(),
                };
                if (iterations.Count == 0) { Render(parts, ref position, dot, new StringBuilder(), untilEnd: true); continue; }
                foreach (var item in iterations)
                {
                    position = bodyStart;
                    Render(parts, ref position, item, output, untilEnd: true);
                }
                continue;
            }
            output.Append(Format(Evaluate(action, dot), json: action.StartsWith("json ", StringComparison.Ordinal)));
        }
    }

    private static JsonNode? Evaluate(string expression, JsonNode? dot)
    {
        if (expression.StartsWith("json ", StringComparison.Ordinal)) return Evaluate(expression[5..].Trim(), dot);
        var words = Words(expression);
        if (words is ["index", var target, .. var keys])
        {
            var node = Path(target, dot);
            foreach (var key in keys) node = node is JsonObject o ? o[Unquote(key)] : node is JsonArray a ? a[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] : null;
            return node;
        }
        // docker ps's ContainerContext has both: .Labels (one string) and the method .Label "key" (the map, here "Label").
        if (words is [".Label", var label]) return (dot?["Label"] as JsonObject ?? dot?["Labels"] as JsonObject)?[Unquote(label)];
        return Path(words[0], dot);
    }

    private static JsonNode? Path(string path, JsonNode? dot)
    {
        if (path == ".") return dot;
        JsonNode? node = dot;
        foreach (var field in path.TrimStart('.').Split('.')) node = node is JsonObject o ? o[field] : null;
        return node;
    }

    private static string Format(JsonNode? value, bool json)
    {
        if (json) return value is null ? "null" : JsonYaml.ToJson(value);
        return value switch
        {
            null => "<no value>",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v => v.ToJsonString(),
            JsonArray a => "[" + string.Join(' ', a.Select(i => Format(i, false))) + "]",
            JsonObject o => "map[" + string.Join(' ', o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}:{Format(kv.Value, false)}")) + "]",
            _ => "",
        };
    }

    private static List<string> Words(string expression) =>
        [.. WordPattern().Matches(expression).Select(m => m.Value)];

    private static string Unquote(string word) => word.Trim('"');

    [GeneratedRegex(@"\{\{-?\s*(.*?)\s*-?\}\}", RegexOptions.Singleline)]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@"""[^""]*""|\S+")]
    private static partial Regex WordPattern();
}
