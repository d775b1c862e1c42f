using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>
/// kubectl's -o jsonpath templates: {.a.b}, {.items[*].metadata.name}, {.list[0]},
/// {.status.addresses[?(@.type=="InternalIP")].address}, {range .items[*]}...{end} and "\n" literals.
/// </summary>
public static partial class JsonPath
{
    public static string Render(string template, JsonNode? data)
    {
        var parts = BracePattern().Split(template);
        var output = new StringBuilder();
        var position = 0;
        Render(parts, ref position, [data], output, untilEnd: false);
        return output.ToString();
    }

    private static void Render(string[] parts, ref int position, List<JsonNode?> current, StringBuilder output, bool untilEnd)
    {
        while (position < parts.Length)
        {
            var isExpression = position % 2 == 1;
            var part = parts[position++];
            if (!isExpression) { output.Append(part); continue; }
            var expression = part.Trim();
            if (expression == "end")
            {
                if (untilEnd) return;
                throw new FormatException("unexpected {end}");
            }
            if (expression.StartsWith('"'))
            {
                output.Append(Regex.Unescape(expression.Trim('"')));
                continue;
            }
            if (expression.StartsWith("range ", StringComparison.Ordinal))
            {
                var items = current.SelectMany(c => Select(expression[6..].Trim(), c)).ToList();
                var bodyStart = position;
                if (items.Count == 0) { Render(parts, ref position, [], new StringBuilder(), untilEnd: true); continue; }
                foreach (var item in items)
                {
                    position = bodyStart;
                    Render(parts, ref position, [item], output, untilEnd: true);
                }
                continue;
            }
            output.Append(string.Join(' ', current.SelectMany(c => Select(expression, c)).Select(Format)));
        }
    }

    /// <summary>The nodes a path selects from <paramref name="root"/>.</summary>
    public static IEnumerable<JsonNode?> Select(string path, JsonNode? root)
    {
        IEnumerable<JsonNode?> nodes = [root];
        foreach (Match step in StepPattern().Matches(path.TrimStart('$')))
        {
            var field = step.Groups["field"];
            var index = step.Groups["index"];
            var filter = step.Groups["filter"];
            if (field.Success) nodes = nodes.Select(n => n is JsonObject o ? o[field.Value] : null).Where(n => n is not null);
            else if (index.Success && index.Value == "*")
                nodes = nodes.SelectMany(n => n switch { JsonArray a => [.. a], JsonObject o => o.Select(kv => kv.Value), _ => Array.Empty<JsonNode?>() });
            else if (index.Success)
                nodes = nodes.Select(n => n is JsonArray a && int.Parse(index.Value, System.Globalization.CultureInfo.InvariantCulture) is var i
                    ? a[i < 0 ? a.Count + i : i] : null).Where(n => n is not null);
            else if (filter.Success)
            {
                var key = step.Groups["key"].Value;
                var expected = step.Groups["value"].Value;
                nodes = nodes.SelectMany(n => n is JsonArray a ? [.. a] : Array.Empty<JsonNode?>())
                    .Where(item => Select(key, item).FirstOrDefault().AsText() == expected);
            }
        }
        return nodes.ToList();
    }

    private static string Format(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => JsonYaml.ToJson(node),
    };

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex BracePattern();

    [GeneratedRegex(@"\.(?<field>[A-Za-z0-9_\-/]+)|\[(?<index>\*|-?\d+)\]|\[(?<filter>\?\(@(?<key>[.A-Za-z0-9_\-]+)\s*==\s*[""'](?<value>[^""']*)[""']\))\]|\[['""](?<field>[^'""]+)['""]\]")]
    private static partial Regex StepPattern();
}
