using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Mesh;

/// <summary>
/// Walks every key path of one of our values files and reports those the chart's default values.yaml does
/// not define: a misspelt key is silently ignored by Helm, so this is the only place it can be caught.
/// </summary>
internal sealed class ValuesKeyCheck(YamlMappingNode chartDefaults)
{
    /// <summary>A key the defaults do not show but the chart documents and reads.</summary>
    /// <param name="Reason">Where the chart documents it.</param>
    /// <param name="ShapedLike">A key path of the defaults whose sub-keys this key takes; null when its contents are free-form.</param>
    public sealed record AllowedKey(string Reason, string? ShapedLike = null);

    public Dictionary<string, AllowedKey> AllowedKeys { get; } = [];

    public static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
            stream.Load(reader);
        return stream.Documents.Single().RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{path} is not a YAML mapping");
    }

    /// <summary>Every problem found, one line each; empty when all keys are defined by the chart.</summary>
    public IReadOnlyList<string> Problems(YamlMappingNode ours)
    {
        var problems = new List<string>();
        Walk(ours, chartDefaults, "", problems);
        return problems;
    }

    private void Walk(YamlMappingNode ours, YamlNode? defaults, string prefix, List<string> problems)
    {
        foreach (var (keyNode, value) in ours.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            YamlNode? defaultValue;
            if (AllowedKeys.TryGetValue(path, out var allowed))
            {
                if (allowed.ShapedLike is null)
                    continue;
                defaultValue = Resolve(allowed.ShapedLike)
                    ?? throw new InvalidOperationException($"allowed key {path}: {allowed.ShapedLike} is not a key path of the chart's defaults");
            }
            else if (defaults is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var found))
            {
                defaultValue = found;
            }
            else
            {
                problems.Add($"{path}: the chart's default values have no such key");
                continue;
            }

            var defaultIsMap = defaultValue is YamlMappingNode { Children.Count: > 0 };
            if (value is YamlMappingNode ourMap)
            {
                if (defaultIsMap)
                    Walk(ourMap, defaultValue, path, problems);
                else if (ourMap.Children.Count > 0)
                    problems.Add($"{path}: the chart's default is empty or a scalar, so its sub-keys cannot be checked; if the chart documents it as a free-form map, list it as an allowed key with the reason");
            }
            else if (defaultIsMap && value is YamlScalarNode { Value.Length: > 0 })
            {
                problems.Add($"{path}: the chart expects a map here, not a scalar");
            }
        }
    }

    private YamlNode? Resolve(string path)
    {
        YamlNode? node = chartDefaults;
        foreach (var key in path.Split('.'))
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        return node;
    }
}
