using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Tns;

/// <summary>
/// The source of TNS's image: LgtmLab.TnsSample, the ServiceDefaults it references and the repository-wide
/// build files. Its <see cref="Fingerprint"/> changes when any of those files does, and nothing else.
/// </summary>
public sealed class TnsSampleSource(string repositoryRoot)
{
    public const string ProjectFolder = "LgtmLab.TnsSample";
    public const string ProjectFile = ProjectFolder + ".csproj";
    private static readonly string[] SourceFolders = [ProjectFolder, "LgtmLab.ServiceDefaults"];
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config"];
    private static readonly string[] OutputFolders = ["bin", "obj"];

    private readonly Lazy<string> _fingerprint = new(() => Compute(repositoryRoot));

    public string RepositoryRoot { get; } = Path.GetFullPath(repositoryRoot);
    public string Project => Path.Combine(RepositoryRoot, ProjectFolder, ProjectFile);

    /// <summary>A hex SHA-256 of every source file's path and content (line endings normalized).</summary>
    public string Fingerprint => _fingerprint.Value;

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

    private static string Compute(string root)
    {
        var files = SourceFolders
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Concat(BuildFiles.Select(f => Path.Combine(root, f)).Where(File.Exists))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => OutputFolders.Contains(part, StringComparer.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
            hash.AppendData(Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(root, file)).Replace("\r\n", "\n", StringComparison.Ordinal) + "\0"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
