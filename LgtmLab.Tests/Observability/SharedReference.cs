using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Observability;

/// <summary>
/// The read-only reference copy of shared/ (the pinned charts' default values): ../shared beside the
/// repository, or LGTMLAB_SHARED_DIR. Locally it may be absent (tests skip with the reason); in CI it must be there.
/// </summary>
internal static class SharedReference
{
    public static string? Directory { get; } = Find();

    public static string ChartsDirectory => Path.Combine(Require(), "reference", "charts");

    public static string? SkipReason =>
        Directory is not null || ToolPath.InCi
            ? null
            : "needs the shared reference copy (../shared beside the repository, or LGTMLAB_SHARED_DIR=/path/to/shared)";

    public static string Require() =>
        Directory ?? throw new InvalidOperationException(
            $"The shared reference copy is missing: expected {Path.GetFullPath(Path.Combine(LabAssets.RepoRoot, "..", "shared"))} " +
            "or LGTMLAB_SHARED_DIR. CI lays it beside the clone.");

    private static string? Find()
    {
        var candidates = new[]
        {
            Path.Combine(LabAssets.RepoRoot, "..", "shared"),
            Environment.GetEnvironmentVariable("LGTMLAB_SHARED_DIR"),
        };
        return candidates
            .Where(c => !string.IsNullOrEmpty(c) && System.IO.Directory.Exists(Path.Combine(c, "reference", "charts")))
            .Select(c => Path.GetFullPath(c!))
            .FirstOrDefault();
    }
}

/// <summary>A fact that needs the shared reference copy: skipped locally when absent, failing in CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresSharedReferenceFactAttribute : FactAttribute
{
    public RequiresSharedReferenceFactAttribute() => Skip = SharedReference.SkipReason;
}

/// <summary>A theory that needs the shared reference copy: skipped locally when absent, failing in CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresSharedReferenceTheoryAttribute : TheoryAttribute
{
    public RequiresSharedReferenceTheoryAttribute() => Skip = SharedReference.SkipReason;
}
