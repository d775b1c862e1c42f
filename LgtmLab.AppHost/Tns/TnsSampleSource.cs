using System.Reflection;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Workloads;

namespace LgtmLab.AppHost.Tns;

/// <summary>
/// Where LgtmLab.TnsSample is: <c>&lt;repository root&gt;/LgtmLab.TnsSample/LgtmLab.TnsSample.csproj</c>. Its
/// image is fingerprinted like any project's (<see cref="ProjectSource"/>: the sample, the ServiceDefaults it
/// references and the repository-wide build files).
/// </summary>
internal sealed class TnsSampleSource(string repositoryRoot)
{
    public const string ProjectFolder = "LgtmLab.TnsSample";
    public const string ProjectFile = ProjectFolder + ".csproj";

    private readonly Lazy<ProjectSource> _source = new(() => new ProjectSource(Path.Combine(Path.GetFullPath(repositoryRoot), ProjectFolder, ProjectFile)));

    public string RepositoryRoot { get; } = Path.GetFullPath(repositoryRoot);
    public string Project => Path.Combine(RepositoryRoot, ProjectFolder, ProjectFile);

    /// <summary>A hex SHA-256 of every source file's path and content (line endings normalized).</summary>
    public string Fingerprint => _source.Value.Fingerprint;

    internal ProjectSource Source => _source.Value;

    /// <summary>
    /// The checkout holding LgtmLab.TnsSample: the folder above lab-assets when it has it, otherwise the first
    /// folder above the AppHost project (or the running AppHost) that does.
    /// </summary>
    public static TnsSampleSource Locate(LabAssets assets)
    {
        var starts = new[]
        {
            Path.GetDirectoryName(assets.Directory),
            typeof(TnsSampleSource).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "apphostprojectpath")?.Value,
            AppContext.BaseDirectory,
        };
        foreach (var start in starts.OfType<string>())
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, ProjectFolder, ProjectFile)))
                    return new TnsSampleSource(dir.FullName);
        throw new LabConfigurationException([new("Lab:Components:Tns", $"no {ProjectFolder}/{ProjectFile} above {assets.Directory} or the AppHost",
            "run the AppHost from the LgtmLab checkout, or set Lab:Components:Tns=false")]);
    }
}
