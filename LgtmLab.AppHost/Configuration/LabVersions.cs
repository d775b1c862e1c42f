using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LgtmLab.AppHost.Configuration;

/// <summary>lab-assets/versions.yaml: every pinned tool, image and chart.</summary>
internal sealed class LabVersions
{
    public Dictionary<string, ToolVersion> Tools { get; set; } = [];
    public string NodeImage { get; set; } = "";
    public Dictionary<string, ChartVersion> Charts { get; set; } = [];

    /// <summary>Container images the lab builds on, by role (e.g. <c>tnsBase</c>).</summary>
    public Dictionary<string, string> Images { get; set; } = [];

    /// <summary>Loads and strictly parses a versions file (unknown keys are errors).</summary>
    public static LabVersions Load(string path)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        using var reader = File.OpenText(path);
        return deserializer.Deserialize<LabVersions>(reader)
            ?? throw new InvalidDataException($"{path} is empty");
    }

    public ToolVersion Tool(string name) =>
        Tools.TryGetValue(name, out var tool) ? tool
            : throw new KeyNotFoundException($"lab-assets/versions.yaml has no tools.{name} entry");

    public string Image(string name) =>
        Images.TryGetValue(name, out var image) && image.Length > 0 ? image
            : throw new KeyNotFoundException($"lab-assets/versions.yaml has no images.{name} entry");

    public ChartVersion Chart(string name) =>
        Charts.TryGetValue(name, out var chart) ? chart
            : throw new KeyNotFoundException($"lab-assets/versions.yaml has no charts.{name} entry");
}

/// <summary>
/// A pinned CLI: version, artifact URL template and where the artifact's SHA-256 comes from. Platforms are
/// "{os}-{arch}" (linux-amd64, darwin-arm64, ...). The expected digest is, in this order: the user's pin in
/// <see cref="Sha256"/>, the file at <see cref="Sha256Url"/>, the asset's digest in the GitHub release at
/// <see cref="ReleaseApiUrl"/>.
/// </summary>
internal sealed class ToolVersion
{
    public string Version { get; set; } = "";
    public string Url { get; set; } = "";
    /// <summary>The checksum file the project publishes beside the artifact.</summary>
    public string? Sha256Url { get; set; }
    /// <summary>GitHub's "get a release by tag" endpoint; its <c>assets[].digest</c> is the reference.</summary>
    public string? ReleaseApiUrl { get; set; }
    /// <summary>Digests pinned by the user, by platform; reviewed like the version and checked first.</summary>
    public Dictionary<string, string> Sha256 { get; set; } = [];
    /// <summary>What {platform} in <see cref="Url"/> becomes, by platform; without an entry, "{os}-{arch}".</summary>
    public Dictionary<string, string> Platforms { get; set; } = [];
    /// <summary>Path of the executable inside a .tar.gz artifact; null when the artifact is the executable.</summary>
    public string? ArchiveEntry { get; set; }
}

/// <summary>A pinned Helm chart.</summary>
internal sealed class ChartVersion
{
    public string Repo { get; set; } = "";
    public string Chart { get; set; } = "";
    public string Version { get; set; } = "";
}
