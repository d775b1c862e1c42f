using System.Formats.Tar;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using LgtmLab.AppHost.Tns;
using LgtmLab.AppHost.Workloads;
using LgtmLab.AppHost.Tools;
using LgtmLab.Tests.Infrastructure;
using LgtmLab.Tests.Observability;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LgtmLab.Tests.TnsCluster;

/// <summary>
/// The image the lab builds for TNS, through the SDK's container targets with exactly the properties the lab
/// passes. Building it pulls the base image from mcr.microsoft.com, which this machine cannot reach: here the
/// generated container configuration is checked instead, and the real build runs with the end-to-end tests.
/// </summary>
public sealed class TnsContainerImageTests(ITestOutputHelper output)
{
    private static ProjectImage Image(string stateDirectory) =>
        new(new TnsSampleSource(LabAssets.RepoRoot).Source, TnsContribution.ImageRepository, LabAssets.Versions.Image("tnsBase"), stateDirectory, "linux-x64");

    [Fact]
    public async Task The_container_configuration_is_the_pinned_base_the_source_tag_and_the_sample_as_entry_point()
    {
        output.WriteLine("Not building the image here: `dotnet publish -t:PublishContainer` pulls its base image from mcr.microsoft.com, "
            + "which this machine cannot reach. Checking the container configuration the SDK computes from the same properties instead.");
        var image = Image(Path.Combine(Path.GetTempPath(), "lgtmlab-image-test"));

        var result = await Cli.Wrap("dotnet")
            .WithArguments(["msbuild", image.Build.Project, "-t:ComputeContainerConfig", "-nologo", .. image.Build.PropertyArguments,
                "-getProperty:ContainerBaseImage", "-getProperty:ContainerRepository", "-getProperty:ContainerImageTag",
                "-getProperty:ContainerRuntimeIdentifier", "-getProperty:ContainerWorkingDirectory", "-getItem:ContainerAppCommand"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);

        var json = JsonNode.Parse(result.StandardOutput)!;
        var properties = json["Properties"]!;
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", (string?)properties["ContainerBaseImage"]);
        Assert.Equal(LabAssets.Versions.Image("tnsBase"), (string?)properties["ContainerBaseImage"]);
        Assert.Equal("lgtmlab/tns", (string?)properties["ContainerRepository"]);
        Assert.Equal(image.Source.Fingerprint[..16], (string?)properties["ContainerImageTag"]);
        Assert.Equal("linux-x64", (string?)properties["ContainerRuntimeIdentifier"]);
        Assert.Equal("/app/", (string?)properties["ContainerWorkingDirectory"]);
        // The role and flags come from the Deployment's args, appended to this command.
        Assert.Equal(["dotnet", "/app/LgtmLab.TnsSample.dll"], json["Items"]!["ContainerAppCommand"]!.AsArray().Select(i => (string?)i!["Identity"]));
    }

    [Fact]
    public void The_tag_follows_the_source_and_nothing_else()
    {
        var root = Directory.CreateTempSubdirectory("lgtmlab-source-").FullName;
        try
        {
            var project = Directory.CreateDirectory(Path.Combine(root, TnsSampleSource.ProjectFolder)).FullName;
            File.WriteAllText(Path.Combine(project, TnsSampleSource.ProjectFile), "<Project />");
            File.WriteAllText(Path.Combine(project, "Program.cs"), "// 1");
            var first = new TnsSampleSource(root).Fingerprint;

            Directory.CreateDirectory(Path.Combine(project, "bin", "Release"));
            File.WriteAllText(Path.Combine(project, "bin", "Release", "out.dll"), "build output");
            Directory.CreateDirectory(Path.Combine(project, "obj"));
            File.WriteAllText(Path.Combine(project, "obj", "project.assets.json"), "{}");
            File.WriteAllText(Path.Combine(project, "Program.cs"), "// 1".Replace("\n", "\r\n", StringComparison.Ordinal));
            Assert.Equal(first, new TnsSampleSource(root).Fingerprint);

            File.WriteAllText(Path.Combine(project, "Program.cs"), "// 2");
            Assert.NotEqual(first, new TnsSampleSource(root).Fingerprint);

            Directory.CreateDirectory(Path.Combine(root, "LgtmLab.ServiceDefaults"));
            File.WriteAllText(Path.Combine(root, "LgtmLab.ServiceDefaults", "Extensions.cs"), "// shared");
            var withDefaults = new TnsSampleSource(root).Fingerprint;
            File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />");
            Assert.NotEqual(withDefaults, new TnsSampleSource(root).Fingerprint);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [E2EFact, Trait("Category", "E2E")]
    public async Task PublishContainer_writes_an_archive_kind_can_load()
    {
        var state = Directory.CreateTempSubdirectory("lgtmlab-image-").FullName;
        try
        {
            var image = Image(state);
            var runner = new ToolRunner(new PathToolLocator(), new Dictionary<string, string?>());
            var archive = await image.EnsureArchiveAsync(new DotnetCli(runner), NullLogger.Instance, CancellationToken.None);

            // kind v0.32.0 hands the file to the node's ctr untouched: it must be the uncompressed docker-save form
            // (see TnsImageArchiveTests for why that form and no other).
            Assert.EndsWith(".tar", archive, StringComparison.Ordinal);
            using var file = File.OpenRead(archive);
            var magic = new byte[2];
            file.ReadExactly(magic);
            Assert.False(magic is [0x1f, 0x8b], $"{archive} is gzip-compressed");
            file.Position = 0;
            using var tar = new TarReader(file);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.Name != "manifest.json") continue;
                var manifest = JsonNode.Parse(entry.DataStream!)!.AsArray();
                Assert.Contains(image.Reference, manifest.SelectMany(m => m!["RepoTags"]!.AsArray()).Select(t => (string?)t));
                return;
            }
            Assert.Fail($"{archive} has no manifest.json: it is not a docker save archive");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
