using System.Reflection;

namespace LgtmLab.AppHost.Configuration;

/// <summary>
/// The lab-assets folder: everything a reader edits without reading C# (versions, kind configs, Helm values,
/// manifests). Read from the source tree so an edit takes effect on the next run.
/// </summary>
internal sealed class LabAssets(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public string VersionsFile => Path.Combine(Directory, "versions.yaml");
    public string KindClusterTemplate => Path.Combine(Directory, "kind", "cluster.yaml");
    public string HelmValues(string release) => Path.Combine(Directory, "helm", $"{release}.yaml");
    public string Manifest(string fileName) => Path.Combine(Directory, "manifests", fileName);

    /// <summary>A file of lab-assets, from its path relative to the folder (e.g. <c>alloy/pipeline.alloy</c>).</summary>
    public string PathOf(string relative) => Path.Combine(Directory, relative);

    public string DashboardsFile => Path.Combine(Directory, DashboardCatalog.FileName);

    public LabVersions LoadVersions() => LabVersions.Load(VersionsFile);

    public DashboardCatalog LoadDashboards() => DashboardCatalog.Load(DashboardsFile);

    /// <summary><c>Lab:AssetsDirectory</c> when set, otherwise the first lab-assets/ above the AppHost project or the working directory.</summary>
    public static LabAssets Locate(LabOptions options)
    {
        if (options.AssetsDirectory is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "versions.yaml"))
                ? new LabAssets(configured)
                : throw new LabConfigurationException([new("Lab:AssetsDirectory", $"{Path.GetFullPath(configured)} has no versions.yaml",
                    "point it at the lab-assets folder of the LgtmLab checkout")]);
        }
        var starts = new[]
        {
            typeof(LabAssets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "apphostprojectpath")?.Value,
            AppContext.BaseDirectory,
            System.IO.Directory.GetCurrentDirectory(),
        };
        foreach (var start in starts.OfType<string>())
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "lab-assets", "versions.yaml")))
                    return new LabAssets(Path.Combine(dir.FullName, "lab-assets"));
        throw new LabConfigurationException([new("Lab:AssetsDirectory", $"no lab-assets/versions.yaml above {AppContext.BaseDirectory}",
            "set Lab:AssetsDirectory to the lab-assets folder of the LgtmLab checkout")]);
    }
}
