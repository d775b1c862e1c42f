using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.AppHost.Observability;

/// <summary>
/// Reads a rendered lab-assets YAML file into maps, lists and scalars that <see cref="ValuesYaml"/> writes back
/// with their types: an unquoted <c>true</c>/<c>false</c> stays a boolean and an unquoted whole number a number
/// (as Helm reads them), anything quoted a string.
/// </summary>
internal static partial class TypedYaml
{
    [GeneratedRegex("^-?[0-9]+$")]
    private static partial Regex Integer();

    public static object Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source} does not render to valid YAML (line {e.Start.Line} of the rendered text, placeholders filled in): {e.Message}", e);
        }
        if (stream.Documents.Count != 1)
            throw new InvalidDataException($"{source} must render to one YAML document, not {stream.Documents.Count}.");
        return Convert(stream.Documents[0].RootNode);
    }

    private static object Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "", c => Convert(c.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" } => true,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "false" } => false,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } when Integer().IsMatch(text) && int.TryParse(text, CultureInfo.InvariantCulture, out var number) => number,
        YamlScalarNode scalar => scalar.Value ?? "",
        _ => throw new InvalidDataException($"unexpected YAML node {node.NodeType}"),
    };
}
