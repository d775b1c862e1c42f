using LgtmLab.AppHost.Configuration;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Observability;

/// <summary>The repository's lab-assets folder and helpers to read its YAML.</summary>
internal static class LabAssets
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Directory => Path.Combine(RepoRoot, "lab-assets");

    public static string PathOf(string relative) => Path.Combine(Directory, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The repository's lab-assets as the product reads them.</summary>
    public static AppHost.Configuration.LabAssets Product => new(Directory);

    public static LabVersions Versions => LabVersions.Load(PathOf("versions.yaml"));

    /// <summary>The values files the LGTM stack owns, relative to lab-assets, each with its chart (versions.yaml key).</summary>
    public static IReadOnlyList<(string File, string Chart)> ValuesFiles { get; } =
    [
        ("helm/loki.yaml", "loki"),
        ("helm/tempo.yaml", "tempo"),
        ("helm/grafana.yaml", "grafana"),
        ("helm/prometheus.yaml", "prometheus"),
        ("helm/alloy.yaml", "alloy"),
        ("helm/traefik.yaml", "traefik"),
        ("helm/overlays/remote/alloy.yaml", "alloy"),
        ("helm/overlays/remote/prometheus.yaml", "prometheus"),
    ];

    /// <summary>Parses one YAML document (duplicate keys are errors) and returns its root mapping.</summary>
    public static YamlMappingNode ParseMapping(string yaml, string what)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Assert.True(stream.Documents.Count == 1, $"{what}: expected one YAML document, found {stream.Documents.Count}");
        return Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
    }

    public static YamlMappingNode LoadMapping(string relative) => ParseMapping(Read(relative), relative);

    /// <summary>The node at a key path (keys may contain dots, so the path is a list), or null.</summary>
    public static YamlNode? At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
                return null;
            node = child;
        }
        return node;
    }

    public static string? ScalarAt(YamlNode node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LgtmLab.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No LgtmLab.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
