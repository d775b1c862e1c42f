using System.Text.Json.Nodes;
using LgtmLab.AppHost.Hosting;
using LgtmLab.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Scripting;

/// <summary>
/// The README's scripting commands, run with the real Aspire CLI against the lab on the fake tools: waiting for
/// the lab, reading a cluster's state and log, the Delete lab command, and what the CLI says when a name is wrong.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class AspireCliScriptingTests(CliLab lab, ITestOutputHelper output) : IClassFixture<CliLab>
{
    [RequiresAspireCliFact]
    public async Task Waiting_for_the_lab_exits_0_once_lgtm_is_healthy()
    {
        var wait = await lab.WaitForLabAsync();
        output.WriteLine(wait.ToString());

        Assert.True(wait.ExitCode == 0, wait.ToString());
        Assert.Contains("Resource 'lgtm' is healthy", wait.Stdout);
        // Healthy means built: the fake kind created both clusters before the wait returned.
        Assert.Equal(["lgtm-central", "lgtm-remote"], KindCalls("create").Select(args => args[3]).Order());
    }

    [RequiresAspireCliFact]
    public async Task Delete_lab_through_the_CLI_deletes_every_cluster_and_describe_shows_it()
    {
        Assert.True((await lab.WaitForLabAsync()).ExitCode == 0, "the lab did not become healthy");

        var delete = await lab.RunAsync(ReadmeScript.DeleteLab);
        output.WriteLine(delete.ToString());

        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains($"Command '{LabCommands.DeleteLab}' executed successfully on resource 'lgtm'", delete.Stdout + delete.Stderr);
        Assert.Equal(["lgtm-central", "lgtm-remote"], KindCalls("delete").Select(args => args[3]).Order());
        Assert.Empty(lab.Toolbox.Clusters);

        var describe = await lab.RunAsync(ReadmeScript.DescribeCentral);
        Assert.True(describe.ExitCode == 0, describe.ToString());
        var central = JsonNode.Parse(describe.Stdout)?["resources"]?[0];
        Assert.Equal("lgtm-central", (string?)central?["name"]);
        Assert.Equal(LabResourceStates.Deleted, (string?)central?["state"]);
        Assert.StartsWith("Cluster deleted", (string?)central?["properties"]?["lab.status"]);
        // The CLI lists the commands a resource offers now: Recreate cluster, no longer Delete cluster.
        var commands = central?["commands"]?.AsObject().Select(c => c.Key).ToList();
        Assert.Equal([LabCommands.RecreateCluster], commands);
    }

    [RequiresAspireCliFact]
    public async Task Logs_show_the_commands_run_for_a_cluster()
    {
        await lab.WaitForLabAsync();

        var logs = await lab.RunAsync(ReadmeScript.LogsOfCentral);

        Assert.True(logs.ExitCode == 0, logs.ToString());
        var lines = logs.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains(lines, l => l.StartsWith("[lgtm-central] ", StringComparison.Ordinal) && l.Contains("kind create cluster --name lgtm-central", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("[lgtm-remote] ", StringComparison.Ordinal));
    }

    [RequiresAspireCliFact]
    public async Task Waiting_on_a_resource_the_lab_does_not_have_fails_and_names_it()
    {
        await lab.WaitForLabAsync();

        var wait = await lab.RunAsync("dotnet aspire wait lgtm-centrl --apphost LgtmLab.AppHost --timeout 10");
        output.WriteLine(wait.ToString());

        Assert.NotEqual(0, wait.ExitCode);
        Assert.Contains("Resource 'lgtm-centrl' was not found", wait.Stderr);
    }

    [RequiresAspireCliFact]
    public async Task A_command_is_named_by_its_name_not_its_display_name()
    {
        await lab.WaitForLabAsync();
        var deletesBefore = KindCalls("delete").Count();

        var run = await lab.RunAsync("dotnet aspire resource lgtm delete-lab --apphost LgtmLab.AppHost");
        output.WriteLine(run.ToString());

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Command 'delete-lab' not available for resource 'lgtm'", run.Stderr);
        Assert.Equal(deletesBefore, KindCalls("delete").Count());
    }

    /// <summary>The argv of the fake kind's `kind VERB cluster --name NAME` calls so far.</summary>
    private IEnumerable<IReadOnlyList<string>> KindCalls(string verb) =>
        lab.Toolbox.Invocations.Where(i => i.Tool == "kind" && i.Args is [var v, "cluster", "--name", _, ..] && v == verb).Select(i => i.Args);
}
