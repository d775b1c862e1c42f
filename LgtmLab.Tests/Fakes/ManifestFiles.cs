using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>The objects of kubectl's -f arguments: files, directories (*.yaml, *.yml, *.json) or "-", List kinds expanded.</summary>
internal static class ManifestFiles
{
    public static List<(string Source, JsonObject Object)> Load(FakeCall call, IEnumerable<string> filenames, bool recursive)
    {
        var result = new List<(string, JsonObject)>();
        foreach (var name in filenames)
        {
            var path = name == "-" ? "-" : call.ResolvePath(name);
            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                    .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal).ToList()
                : [path];
            foreach (var file in files)
            {
                if (file != "-" && !File.Exists(file))
                    throw new FileNotFoundException($"error: the path \"{name}\" does not exist");
                var source = file == "-" ? "STDIN" : files.Count == 1 && !Directory.Exists(path) ? name : file;
                var text = file == "-" ? call.Stdin ?? "" : File.ReadAllText(file);
                foreach (var doc in JsonYaml.ParseDocuments(text).OfType<JsonObject>())
                {
                    if ((string?)doc["kind"] is "List" && doc["items"] is JsonArray items)
                        result.AddRange(items.OfType<JsonObject>().Select(i => (source, (JsonObject)i.DeepClone())));
                    else result.Add((source, doc));
                }
            }
        }
        return result;
    }
}
