namespace LgtmLab.Tests.Dashboards;

/// <summary>Finds files of this repository from a test's output directory (tests read lab-assets/ as shipped).</summary>
internal static class RepositoryFile
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LgtmLab.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"LgtmLab.sln not found above {AppContext.BaseDirectory}; run the tests from the repository's build output.");
    }
}
