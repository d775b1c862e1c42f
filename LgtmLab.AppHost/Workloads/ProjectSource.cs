using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Workloads;

/// <summary>
/// What a .NET project's image is built from: the project's folder, the folders of the projects it references
/// (transitively), and the build files MSBuild and NuGet read from that folder and its parents. Its
/// <see cref="Fingerprint"/> changes when any of those files does, and nothing else (build output is left out,
/// line endings are normalized, paths are relative, so a moved checkout keeps its tag). Read once per engine run
/// (<see cref="RunMemo"/>), so a source edited while the AppHost runs is picked up by the next run (a Retry).
/// </summary>
internal sealed class ProjectSource
{
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config"];
    private static readonly string[] OutputFolders = ["bin", "obj"];

    public ProjectSource(string project)
    {
        Project = Path.GetFullPath(project);
    }

    /// <summary>Absolute path of the .csproj.</summary>
    public string Project { get; }

    public string ProjectFolder => Path.GetDirectoryName(Project)!;

    public bool Exists => File.Exists(Project);

    /// <summary>A hex SHA-256 of every source file's relative path and content, as of this run's first use.</summary>
    public string Fingerprint => RunMemo.Get(this, Compute);

    /// <summary>The project's folder and those of every project it references, directly or not.</summary>
    public IReadOnlyList<string> ProjectFolders()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Project]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project) || !File.Exists(project)) continue;
            foreach (var reference in References(project)) pending.Push(reference);
        }
        return [.. seen.Where(File.Exists).Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> References(string project)
    {
        XDocument document;
        try { document = XDocument.Load(project); }
        catch (System.Xml.XmlException) { yield break; } // dotnet publish reports the broken file itself
        var folder = Path.GetDirectoryName(project)!;
        foreach (var item in document.Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
            if (item.Attribute("Include")?.Value is { Length: > 0 } include)
                yield return Path.GetFullPath(Path.Combine(folder, include.Replace('\\', Path.DirectorySeparatorChar)));
    }

    private string Compute()
    {
        var folders = ProjectFolders();
        var buildFiles = folders
            .SelectMany(Ancestors)
            .Distinct(StringComparer.Ordinal)
            .SelectMany(dir => BuildFiles.Select(name => Path.Combine(dir, name)))
            .Where(File.Exists);
        var sources = folders.SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(part => OutputFolders.Contains(part, StringComparer.OrdinalIgnoreCase))));
        var files = sources.Concat(buildFiles).Distinct(StringComparer.Ordinal).ToList();
        var root = CommonFolder(files.Select(f => Path.GetDirectoryName(f)!).DefaultIfEmpty(ProjectFolder));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.Select(f => (Path: f, Relative: Path.GetRelativePath(root, f).Replace('\\', '/'))).OrderBy(f => f.Relative, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file.Relative + "\0"));
            hash.AppendData(Encoding.UTF8.GetBytes(File.ReadAllText(file.Path).Replace("\r\n", "\n", StringComparison.Ordinal) + "\0"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static IEnumerable<string> Ancestors(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent) yield return dir.FullName;
    }

    private static string CommonFolder(IEnumerable<string> folders) => folders.Aggregate((common, next) =>
    {
        while (!IsWithin(next, common)) common = Path.GetDirectoryName(common) ?? common;
        return common;
    });

    private static bool IsWithin(string folder, string candidate) =>
        folder == candidate || folder.StartsWith(Path.TrimEndingDirectorySeparator(candidate) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || Path.GetDirectoryName(candidate) is null;
}
