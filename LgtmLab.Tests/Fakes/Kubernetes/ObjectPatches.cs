using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>
/// The patch types the API server accepts. Server-side apply is approximated: maps merge deeply, lists are
/// replaced, and fields this field manager applied last time but no longer sends are removed. Strategic merge
/// patch is treated as a JSON merge patch (lists are replaced, not merged by key).
/// </summary>
internal static class ObjectPatches
{
    public const string ApplyPatch = "application/apply-patch+yaml";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";

    /// <summary>RFC 7386: null removes a key, objects merge, everything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null) result.Remove(key);
            else result[key] = Merge(result[key], value);
        }
        return result;
    }

    /// <summary>Server-side apply: <paramref name="applied"/> merged over <paramref name="existing"/>.</summary>
    public static JsonObject Apply(JsonObject existing, JsonObject applied, JsonObject? previouslyApplied)
    {
        var result = (JsonObject)existing.DeepClone();
        if (previouslyApplied is not null) RemoveDropped(result, previouslyApplied, applied);
        return (JsonObject)DeepMerge(result, applied)!;
    }

    private static void RemoveDropped(JsonObject target, JsonObject before, JsonObject now)
    {
        foreach (var (key, old) in before)
        {
            if (!now.ContainsKey(key)) { target.Remove(key); continue; }
            if (old is JsonObject oldChild && now[key] is JsonObject newChild && target[key] is JsonObject targetChild)
                RemoveDropped(targetChild, oldChild, newChild);
        }
    }

    private static JsonNode? DeepMerge(JsonNode? target, JsonNode? overlay)
    {
        if (overlay is not JsonObject overlayObject || target is not JsonObject targetObject) return overlay?.DeepClone();
        foreach (var (key, value) in overlayObject) targetObject[key] = DeepMerge(targetObject[key], value);
        return targetObject;
    }

    /// <summary>RFC 6902 (add, remove, replace, test, copy, move).</summary>
    public static JsonNode ApplyJsonPatch(JsonNode target, JsonArray operations)
    {
        var document = target.DeepClone();
        foreach (var op in operations.OfType<JsonObject>())
        {
            var kind = (string?)op["op"] ?? throw new InvalidDataException("json patch operation without \"op\"");
            var path = (string?)op["path"] ?? throw new InvalidDataException("json patch operation without \"path\"");
            switch (kind)
            {
                case "add": Add(document, path, op["value"]?.DeepClone()); break;
                case "replace": Remove(document, path); Add(document, path, op["value"]?.DeepClone()); break;
                case "remove": Remove(document, path); break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), op["value"]))
                        throw new InvalidDataException($"json patch test failed at {path}");
                    break;
                case "copy": Add(document, path, Get(document, (string?)op["from"] ?? "")?.DeepClone()); break;
                case "move":
                    var from = (string?)op["from"] ?? "";
                    var moved = Get(document, from)?.DeepClone();
                    Remove(document, from);
                    Add(document, path, moved);
                    break;
                default: throw new InvalidDataException($"unknown json patch operation \"{kind}\"");
            }
        }
        return document;
    }

    private static string[] Tokens(string path) =>
        [.. path.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static JsonNode? Get(JsonNode document, string path)
    {
        JsonNode? node = document;
        foreach (var token in Tokens(path))
            node = node switch
            {
                JsonObject o => o.TryGetPropertyValue(token, out var v) ? v : throw Missing(path),
                JsonArray a when int.TryParse(token, out var i) && i < a.Count => a[i],
                _ => throw Missing(path),
            };
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode document, string path)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0) throw new InvalidDataException("json patch on the whole document is not supported");
        var parent = Get(document, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))))
            ?? throw Missing(path);
        return (parent, tokens[^1]);
    }

    private static void Add(JsonNode document, string path, JsonNode? value)
    {
        var (parent, last) = Parent(document, path);
        switch (parent)
        {
            case JsonObject o: o[last] = value; break;
            case JsonArray a when last == "-": a.Add(value); break;
            case JsonArray a when int.TryParse(last, out var i) && i <= a.Count: a.Insert(i, value); break;
            default: throw Missing(path);
        }
    }

    private static void Remove(JsonNode document, string path)
    {
        var (parent, last) = Parent(document, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last): o.Remove(last); break;
            case JsonArray a when int.TryParse(last, out var i) && i < a.Count: a.RemoveAt(i); break;
            default: throw Missing(path);
        }
    }

    private static InvalidDataException Missing(string path) => new($"json patch path {path} does not exist");
}
