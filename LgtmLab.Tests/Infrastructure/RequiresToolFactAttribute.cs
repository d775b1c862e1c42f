namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// A fact that needs an executable on PATH. Locally it is skipped with the reason when the tool is missing;
/// in CI (<c>CI=true</c>) it runs anyway and fails, so a missing install step in .ci/run cannot hide.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => ToolPath.Find(t) is null).ToArray();
        if (missing.Length > 0 && !ToolPath.InCi)
            Skip = $"needs {string.Join(", ", missing)} on PATH (install: apt-get install -y {string.Join(' ', missing)}; .ci/run does this in CI)";
    }
}

/// <summary>Finds executables the way a shell would, for tests that need a real tool.</summary>
internal static class ToolPath
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    /// <summary>The tool's full path, or a failure that says how to install it.</summary>
    public static string Require(string tool) =>
        Find(tool) ?? throw new InvalidOperationException($"'{tool}' is not on PATH: apt-get install -y {tool}");
}
