using LgtmLab.Tests.Tns;

namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// TNS's db fails 90% of fetches in the first 30 s of every 5 minutes (wall clock). A test that asks app for its
/// page turns that off, or it fails at those times of day only.
/// </summary>
internal static class TnsOutage
{
    public static void TurnOffDbOutage(this IDistributedApplicationBuilder builder)
    {
        var db = builder.CreateResourceBuilder<ProjectResource>(TnsProjectsBuilderExtensions.DbResourceName);
        foreach (var (name, value) in TnsStack.NoFaults)
            db.WithEnvironment(name, value);
    }
}
