using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>The user-supplied values of a helm call: -f files merged in order, then --set, --set-string, --set-json, --set-file.</summary>
internal static class HelmValues
{
    /// <summary>The merged values and the SHA-256 (hex) of the values files' bytes, in order.</summary>
    public static (JsonObject Values, string Sha256) Merge(FakeCall call, CommandLine line, JsonObject? reused)
    {
        var values = reused is null ? [] : (JsonObject)reused.DeepClone();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in line.All("-f", "--values"))
        {
            var text = call.ReadInput(file);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            if (JsonYaml.Parse(text) is JsonObject layer) values = (JsonObject)DeepMerge(values, layer);
        }
        foreach (var set in line.All("--set")) foreach (var (key, value) in Pairs(set)) Set(values, key, Typed(value));
        foreach (var set in line.All("--set-string")) foreach (var (key, value) in Pairs(set)) Set(values, key, JsonValue.Create(value));
        foreach (var set in line.All("--set-json"))
        {
            var eq = set.IndexOf('=');
            Set(values, set[..eq], JsonNode.Parse(set[(eq + 1)..]));
        }
        foreach (var set in line.All("--set-file"))
        {
            var eq = set.IndexOf('=');
            Set(values, set[..eq], JsonValue.Create(call.ReadInput(set[(eq + 1)..])));
        }
        return (values, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static JsonNode DeepMerge(JsonNode target, JsonNode overlay)
    {
        if (target is not JsonObject t || overlay is not JsonObject o) return overlay.DeepClone();
        foreach (var (key, value) in o)
            t[key] = value is not null && t[key] is { } existing ? DeepMerge(existing, value) : value?.DeepClone();
        return t;
    }

    private static IEnumerable<(string Key, string Value)> Pairs(string set)
    {
        foreach (var pair in set.Split(','))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0) yield return (pair[..eq], pair[(eq + 1)..]);
        }
    }

    private static JsonNode? Typed(string value) => value switch
    {
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        "null" => null,
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ => JsonValue.Create(value),
    };

    private static void Set(JsonObject values, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = values;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child) node[part] = child = [];
            node = child;
        }
        node[parts[^1]] = value;
    }
}
