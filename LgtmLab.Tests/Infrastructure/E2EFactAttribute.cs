namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// An end-to-end fact against real kind clusters. Runs only where <c>LGTMLAB_E2E=1</c> and docker and kind
/// are on PATH; everywhere else (CI included) it is skipped with the reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class E2EFactAttribute : FactAttribute
{
    public E2EFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("LGTMLAB_E2E") != "1")
            Skip = "end-to-end test against real kind clusters: set LGTMLAB_E2E=1 on a machine with Docker and kind";
        else if (ToolPath.Find("docker") is null || ToolPath.Find("kind") is null)
            Skip = "LGTMLAB_E2E=1 but docker or kind is not on PATH";
    }
}
