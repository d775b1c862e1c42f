using System.Diagnostics;
using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes;
using LgtmLab.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Scripting;

/// <summary>
/// The README's `start` and `stop` on the real AppHost project, as a process of its own (the one thing the
/// in-process lab of <see cref="CliLab"/> cannot show: `stop` ends the AppHost's process). The cluster side is
/// off (<c>Lab:Enabled=false</c>: where Docker runs, nothing is created), so only the local TNS projects start.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class AspireCliStartStopTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, string?> LabOff = new Dictionary<string, string?> { ["Lab__Enabled"] = "false" };

    [RequiresAspireCliFact]
    public async Task Start_runs_the_AppHost_in_the_background_and_stop_ends_its_process()
    {
        var root = Path.GetDirectoryName(FakeToolbox.RepositoryFile("LgtmLab.sln"))!;
        var project = Path.Combine(root, "LgtmLab.AppHost", "LgtmLab.AppHost.csproj");
        // `stop --apphost` stops an AppHost of this project: never one someone else started.
        Assert.True(await RunningAppHostPidsAsync(root, project) is [], $"an AppHost of {project} is running already; stop it before running this test");

        // As the README, plus: the build is the test run's, and free ports, never the dashboard's 18888 of a developer.
        var start = await AspireCli.RunAsync(root, ReadmeScript.Start + " --no-build --isolated", LabOff);
        output.WriteLine(start.ToString());
        var pids = await RunningAppHostPidsAsync(root, project);
        try
        {
            Assert.True(start.ExitCode == 0, start.ToString());
            Assert.Contains("AppHost started successfully", start.Stdout);
            var pid = Assert.Single(pids);
            var describe = await AspireCli.RunAsync(root, "dotnet aspire describe --apphost LgtmLab.AppHost --format Json");
            Assert.True(describe.ExitCode == 0, describe.ToString());
            var resources = (JsonNode.Parse(describe.Stdout)?["resources"]?.AsArray() ?? []).Select(r => (string?)r?["displayName"]).ToList();
            Assert.Contains("tns-db", resources);
            Assert.DoesNotContain("lgtm", resources);

            var stop = await AspireCli.RunAsync(root, ReadmeScript.Stop);
            output.WriteLine(stop.ToString());

            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Contains("stopped successfully", stop.Stdout);
            Assert.False(IsRunning(pid), $"the AppHost (pid {pid}) still runs after `{ReadmeScript.Stop}`");
            Assert.Empty(await RunningAppHostPidsAsync(root, project));
        }
        finally
        {
            foreach (var pid in pids.Where(IsRunning))
                Process.GetProcessById(pid).Kill(entireProcessTree: true);
        }
    }

    /// <summary>The AppHosts of <paramref name="project"/> that `aspire ps` lists.</summary>
    private static async Task<List<int>> RunningAppHostPidsAsync(string root, string project)
    {
        var ps = await AspireCli.RunAsync(root, "dotnet aspire ps --format Json");
        Assert.True(ps.ExitCode == 0, ps.ToString());
        return [.. (JsonNode.Parse(ps.Stdout)?.AsArray() ?? [])
            .Where(a => (string?)a?["appHostPath"] == project)
            .Select(a => (int?)a?["appHostPid"] ?? 0)];
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
