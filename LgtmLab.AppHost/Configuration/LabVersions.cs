using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LgtmLab.AppHost.Configuration;

/// <summary>lab-assets/versions.yaml: every pinned tool, image and chart.</summary>
public sealed class LabVersions
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

/// <summary>A pinned CLI: version, artifact URL template and the URL of its published SHA-256.</summary>
public sealed class ToolVersion
{
    public string Version { get; set; } = "";
    public string Url { get; set; } = "";
    public string Sha256Url { get; set; } = "";
    /// <summary>Path of the executable inside a .tar.gz artifact; null when the artifact is the executable.</summary>
    public string? ArchiveEntry { get; set; }
}

/// <summary>A pinned Helm chart.</summary>
public sealed class ChartVersion
{
    public string Repo { get; set; } = "";
    public string Chart { get; set; } = "";
    public string Version { get; set; } = "";
}
