using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using LgtmLab.AppHost.Tns;
using LgtmLab.AppHost.Workloads;
using LgtmLab.AppHost.Tools;
using LgtmLab.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.TnsCluster;

/// <summary>
/// Defect 6: the archive the lab builds is the one form `kind load image-archive` certainly loads under the name a
/// pod resolves to. kind v0.32.0 streams the file untouched to the node's `ctr images import` (containerd v2.3.1);
/// see <see cref="ContainerdImport"/> for what that accepts and how it names what it imports.
/// </summary>
public sealed class TnsImageArchiveTests : IAsyncLifetime
{
    private FakeToolbox _toolbox = null!;

    public async Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        var created = await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-remote");
        Assert.True(created.ExitCode == 0, created.Stderr);
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    private FakeCluster Remote => _toolbox.Cluster("lgtm-remote")!;

    private ProjectImage Image()
    {
        var project = Directory.CreateDirectory(Path.Combine(_toolbox.Root, "checkout", TnsSampleSource.ProjectFolder)).FullName;
        File.WriteAllText(Path.Combine(project, TnsSampleSource.ProjectFile), "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />\n");
        return new ProjectImage(new TnsSampleSource(Path.Combine(_toolbox.Root, "checkout")).Source, TnsContribution.ImageRepository, "mcr.microsoft.com/dotnet/aspnet:10.0", _toolbox.StateDirectory, "linux-x64");
    }

    private async Task<FakeRunResult> LoadAsync(string archive) => await _toolbox.RunAsync("kind", "load", "image-archive", archive, "--name", "lgtm-remote");

    [Fact]
    public async Task The_lab_publishes_an_uncompressed_docker_save_tar_that_kind_loads_under_the_pods_image_name()
    {
        var image = Image();
        var archive = await image.EnsureArchiveAsync(new LgtmLab.AppHost.Tools.DotnetCli(new ToolRunner(_toolbox.Locator, new Dictionary<string, string?>(), _toolbox.PathVariable)), NullLogger.Instance, CancellationToken.None);

        var publish = Assert.Single(_toolbox.Invocations, i => i.Tool == "dotnet");
        Assert.Contains("-p:ContainerImageFormat=Docker", publish.Args);
        Assert.EndsWith(".tar", archive, StringComparison.Ordinal);
        Assert.NotEqual([0x1f, 0x8b], File.ReadAllBytes(archive)[..2]);
        var load = await LoadAsync(archive);
        Assert.True(load.ExitCode == 0, load.Stderr);
        Assert.Equal([image.NodeReference], Remote.LoadedImages);
    }

    [Fact]
    public async Task An_OCI_layout_from_the_SDK_would_keep_its_bare_name_which_is_not_the_one_a_pod_resolves_to()
    {
        var image = Image();
        var archive = Path.Combine(_toolbox.Root, "oci.tar");
        var publish = await _toolbox.RunAsync("dotnet", ["publish", image.Build.Project, "-t:PublishContainer",
            $"-p:ContainerRepository={image.Build.Repository}", $"-p:ContainerImageTag={image.Build.Tag}",
            "-p:ContainerImageFormat=OCI", $"-p:ContainerArchiveOutputPath={archive}"], stdin: null, CancellationToken.None);
        Assert.True(publish.ExitCode == 0, publish.Stderr);

        var load = await LoadAsync(archive);

        Assert.True(load.ExitCode == 0, load.Stderr);
        Assert.Equal([image.Reference], Remote.LoadedImages);
        Assert.NotEqual(image.NodeReference, image.Reference);
    }

    [Fact]
    public async Task Kind_load_fails_as_ctr_does_on_a_tar_that_is_neither_a_docker_save_nor_an_OCI_layout()
    {
        var archive = Path.Combine(_toolbox.Root, "tns.tar");
        WriteTar(archive, ("layer.tar", "not an image"));

        var load = await LoadAsync(archive);

        Assert.Equal(1, load.ExitCode);
        Assert.Contains("ERROR: failed to load image: command \"docker exec --privileged -i lgtm-remote-control-plane ctr --namespace=k8s.io images import", load.Stderr);
        Assert.Contains("Command Output: ctr: unrecognized image format", load.Stderr);
        Assert.Empty(Remote.LoadedImages);
    }

    [Fact]
    public async Task Kind_load_reads_a_gzip_compressed_docker_save_archive_because_ctr_decompresses_it()
    {
        var plain = Path.Combine(_toolbox.Root, "plain.tar");
        WriteTar(plain, ("config.json", "{}"), ("manifest.json", """[{"Config":"config.json","RepoTags":["lgtmlab/tns:abc"],"Layers":[]}]"""));
        var compressed = Path.Combine(_toolbox.Root, "tns.tar.gz");
        using (var input = File.OpenRead(plain))
        using (var gzip = new GZipStream(File.Create(compressed), CompressionLevel.Fastest))
            input.CopyTo(gzip);

        var load = await LoadAsync(compressed);

        Assert.True(load.ExitCode == 0, load.Stderr);
        Assert.Equal(["docker.io/lgtmlab/tns:abc"], Remote.LoadedImages);
    }

    private static void WriteTar(string path, params (string Name, string Content)[] entries)
    {
        using var file = File.Create(path);
        using var tar = new TarWriter(file, TarEntryFormat.Pax);
        foreach (var (name, content) in entries)
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
    }
}
