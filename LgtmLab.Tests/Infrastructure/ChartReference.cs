
namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// The pinned charts' default values.yaml files, kept beside the repository in shared/reference/charts/
/// (CI gets a read-only copy of shared/ next to its clone). Found as ../shared from the repository root,
/// else through LGTMLAB_SHARED_DIR.
/// </summary>
internal static class ChartReference
{
    public const string SharedDirVariable = "LGTMLAB_SHARED_DIR";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string? ChartsDirectory { get; } = FindChartsDirectory();

    public static string MissingReason =>
        $"the pinned charts' default values are not here: looked for {Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "reference", "charts"))} " +
        $"and ${SharedDirVariable}/reference/charts (set {SharedDirVariable} to the shared/ folder)";

    /// <summary>The path of a chart's default values file; fails the test (in CI, where skipping is not allowed) when it is missing.</summary>
    public static string DefaultValues(string chart, string version)
    {
        var directory = ChartsDirectory ?? throw new InvalidOperationException(MissingReason);
        var path = Path.Combine(directory, $"{chart}-{version}.values.yaml");
        Assert.True(File.Exists(path), $"{path} does not exist: shared/reference/charts has no default values for {chart} {version}");
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "LgtmLab.sln")))
                return directory.FullName;
        throw new InvalidOperationException($"LgtmLab.sln not found above {AppContext.BaseDirectory}");
    }

    private static string? FindChartsDirectory()
    {
        var candidates = new List<string> { Path.Combine(RepositoryRoot, "..", "shared", "reference", "charts") };
        if (Environment.GetEnvironmentVariable(SharedDirVariable) is { Length: > 0 } shared)
            candidates.Add(Path.Combine(shared, "reference", "charts"));
        return candidates.Select(Path.GetFullPath).FirstOrDefault(Directory.Exists);
    }
}

/// <summary>A test that reads the pinned charts' defaults: skipped locally with the reason when they are absent, run (and failing) in CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresChartReferenceFactAttribute : FactAttribute
{
    public RequiresChartReferenceFactAttribute()
    {
        if (ChartReference.ChartsDirectory is null && !ToolPath.InCi)
            Skip = ChartReference.MissingReason;
    }
}

/// <inheritdoc cref="RequiresChartReferenceFactAttribute"/>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresChartReferenceTheoryAttribute : TheoryAttribute
{
    public RequiresChartReferenceTheoryAttribute()
    {
        if (ChartReference.ChartsDirectory is null && !ToolPath.InCi)
            Skip = ChartReference.MissingReason;
    }
}
