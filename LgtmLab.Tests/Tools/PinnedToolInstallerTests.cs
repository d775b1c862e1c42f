using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Tools.Installation;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Tools;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PinnedToolInstallerTests : IAsyncLifetime
{
    private static readonly LabVersions Versions = LabVersions.Load(FakeToolbox.RepositoryFile("lab-assets/versions.yaml"));
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lgtmlab-installer-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ListLogger _logger = new();
    private ArtifactServer _server = null!;

    private string CacheRoot => Path.Combine(_root, "cache");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _server = await ArtifactServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private PinnedToolInstallerOptions Options(string searchPath = "") => new()
    {
        CacheRoot = CacheRoot, BaseUrl = _server.Url, SearchPath = searchPath, Os = "linux", Arch = "amd64",
    };

    private PinnedToolInstaller Installer(string searchPath = "") => new(Versions, Options(searchPath));

    private ToolArtifact Artifact(string tool) => ToolArtifact.For(tool, Versions.Tool(tool), Options());

    private static byte[] Script(string output) => Encoding.UTF8.GetBytes($"#!/bin/sh\necho '{output}'\n");

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Publishes a tool the way its project does: the artifact and "&lt;hex&gt;  &lt;filename&gt;" beside it.</summary>
    private byte[] Publish(string tool, byte[] artifact, string? checksum = null)
    {
        var a = Artifact(tool);
        _server.Serve(a.Url.AbsolutePath, artifact);
        _server.Serve(a.ChecksumUrl!.AbsolutePath, checksum ?? $"{Sha256(artifact)}  {a.FileName}\n");
        return artifact;
    }

    [Fact]
    public void Artifact_urls_come_from_versions_yaml_with_version_os_and_arch_filled_in()
    {
        var upstream = new PinnedToolInstallerOptions { Os = "linux", Arch = "amd64" };

        var kind = ToolArtifact.For("kind", Versions.Tool("kind"), upstream);
        var helm = ToolArtifact.For("helm", Versions.Tool("helm"), upstream);

        Assert.Equal("https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64", kind.Url.ToString());
        Assert.Equal("https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64.sha256sum", kind.ChecksumUrl!.ToString());
        Assert.Equal("https://get.helm.sh/helm-v4.1.4-linux-amd64.tar.gz", helm.Url.ToString());
        Assert.Equal("linux-amd64/helm", helm.ArchiveEntry);
        Assert.Equal(new Uri(_server.Url, "/helm-v4.1.4-linux-amd64.tar.gz"), Artifact("helm").Url);
    }

    [Fact]
    public async Task A_missing_tool_is_downloaded_verified_and_installed_into_the_cache()
    {
        var content = Publish("kind", Script("kind v0.32.0 go1.24.11 linux/amd64"));
        using var installer = Installer();

        var path = await installer.ResolveAsync("kind", _logger, CancellationToken.None);

        Assert.Equal(Path.Combine(CacheRoot, "kind", "v0.32.0", "kind"), path);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("v0.32.0", await ToolVersionProbe.DetectAsync("kind", path, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(["/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64.sha256sum", "/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64"], _server.Requests);
        Assert.Contains(_logger.Messages, m => m.Contains("kind v0.32.0: downloaded " + content.Length + " bytes", StringComparison.Ordinal));
        Assert.Equal(["kind", "kind.sha256"], Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_download_that_does_not_match_the_published_checksum_is_refused_and_nothing_is_left_in_the_cache()
    {
        var published = Sha256(Encoding.UTF8.GetBytes("the real kind"));
        var tampered = Publish("kind", Script("kind v0.32.0 evil"), checksum: $"{published}  kind-linux-amd64\n");
        using var installer = Installer();

        var e = await Assert.ThrowsAsync<ToolInstallationException>(() => installer.ResolveAsync("kind", _logger, CancellationToken.None));

        Assert.Equal($"checksum mismatch for kind v0.32.0: expected {published} from {Artifact("kind").ChecksumUrl}, got {Sha256(tampered)} " +
            $"(the download may be corrupted or tampered with; delete {Path.Combine(CacheRoot, "kind")} and retry)", e.Message);
        Assert.False(Directory.Exists(Path.Combine(CacheRoot, "kind")));
    }

    [Fact]
    public async Task The_cache_is_reused_without_any_network_access()
    {
        Publish("kind", Script("kind v0.32.0 go1.24.11 linux/amd64"));
        using (var first = Installer()) await first.ResolveAsync("kind", _logger, CancellationToken.None);
        var requests = _server.Requests.Count;
        await _server.DisposeAsync();

        using var second = Installer();
        var path = await second.ResolveAsync("kind", _logger, CancellationToken.None);

        Assert.Equal(2, requests);
        Assert.Equal(Path.Combine(CacheRoot, "kind", "v0.32.0", "kind"), path);
        Assert.Contains(_logger.Messages, m => m.StartsWith("Using kind v0.32.0 from the cache", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cached_file_that_changed_since_it_was_verified_is_downloaded_again()
    {
        var good = Publish("kind", Script("kind v0.32.0 go1.24.11 linux/amd64"));
        using (var first = Installer()) await first.ResolveAsync("kind", _logger, CancellationToken.None);
        var cached = Path.Combine(CacheRoot, "kind", "v0.32.0", "kind");
        await File.WriteAllTextAsync(cached, "#!/bin/sh\necho swapped\n");

        using var second = Installer();
        var path = await second.ResolveAsync("kind", _logger, CancellationToken.None);

        Assert.Equal(good, await File.ReadAllBytesAsync(path));
        Assert.Equal(4, _server.Requests.Count);
        Assert.Contains(_logger.Messages, m => m.Contains("no longer matches the SHA-256 recorded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_copy_on_path_is_used_when_it_reports_the_pinned_version()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        await WriteExecutable(Path.Combine(bin, "kind"), Script("kind v0.32.0 go1.24.11 linux/amd64"));
        using var installer = Installer(searchPath: bin);

        var path = await installer.ResolveAsync("kind", _logger, CancellationToken.None);

        Assert.Equal(Path.Combine(bin, "kind"), path);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Another_version_on_path_is_ignored_and_the_pinned_one_downloaded()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        await WriteExecutable(Path.Combine(bin, "kind"), Script("kind v0.20.0 go1.20.4 linux/amd64"));
        Publish("kind", Script("kind v0.32.0 go1.24.11 linux/amd64"));
        using var installer = Installer(searchPath: bin);

        var path = await installer.ResolveAsync("kind", _logger, CancellationToken.None);

        Assert.Equal(Path.Combine(CacheRoot, "kind", "v0.32.0", "kind"), path);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Contains(_logger.Messages, m => m.Contains("is v0.20.0, the lab pins v0.32.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Helm_is_taken_out_of_its_tar_gz_archive()
    {
        var helm = Script("v4.1.4");
        Publish("helm", TarGz(("linux-amd64/LICENSE", Encoding.UTF8.GetBytes("Apache-2.0")), ("linux-amd64/helm", helm)));
        using var installer = Installer();

        var path = await installer.ResolveAsync("helm", _logger, CancellationToken.None);

        Assert.Equal(Path.Combine(CacheRoot, "helm", "v4.1.4", "helm"), path);
        Assert.Equal(helm, await File.ReadAllBytesAsync(path));
        Assert.Equal("v4.1.4", await ToolVersionProbe.DetectAsync("helm", path, TimeSpan.FromSeconds(10), CancellationToken.None));
    }

    [Fact]
    public async Task An_archive_without_the_expected_entry_is_refused_and_leaves_nothing_behind()
    {
        Publish("helm", TarGz(("darwin-arm64/helm", Script("v4.1.4"))));
        using var installer = Installer();

        var e = await Assert.ThrowsAsync<ToolInstallationException>(() => installer.ResolveAsync("helm", _logger, CancellationToken.None));

        Assert.Equal("helm-v4.1.4-linux-amd64.tar.gz has no linux-amd64/helm; check tools.helm.archiveEntry in lab-assets/versions.yaml", e.Message);
        Assert.False(Directory.Exists(Path.Combine(CacheRoot, "helm")));
    }

    [Fact]
    public async Task Kubectl_is_verified_against_a_bare_hex_checksum()
    {
        var kubectl = Script("{\"clientVersion\":{\"gitVersion\":\"v1.36.1\"}}");
        Publish("kubectl", kubectl, checksum: Sha256(kubectl));
        using var installer = Installer();

        var path = await installer.ResolveAsync("kubectl", _logger, CancellationToken.None);

        Assert.Equal(kubectl, await File.ReadAllBytesAsync(path));
        Assert.Equal(["/release/v1.36.1/bin/linux/amd64/kubectl.sha256", "/release/v1.36.1/bin/linux/amd64/kubectl"], _server.Requests);
    }

    [Fact]
    public async Task A_release_that_does_not_exist_names_the_url_and_the_versions_file()
    {
        using var installer = Installer();

        var e = await Assert.ThrowsAsync<ToolInstallationException>(() => installer.ResolveAsync("linkerd", _logger, CancellationToken.None));

        Assert.Equal($"{new Uri(_server.Url, "/repos/linkerd/linkerd2/releases/tags/edge-26.8.3")} does not exist (404 Not Found): " +
            "is linkerd edge-26.8.3 a released version? Check tools.linkerd in lab-assets/versions.yaml", e.Message);
        Assert.False(Directory.Exists(Path.Combine(CacheRoot, "linkerd")));
    }

    [Fact]
    public async Task Concurrent_requests_for_one_tool_download_it_once()
    {
        Publish("kind", Script("kind v0.32.0 go1.24.11 linux/amd64"));
        using var installer = Installer();

        var paths = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => installer.ResolveAsync("kind", _logger, CancellationToken.None)));

        Assert.Single(paths.Distinct());
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Every_pinned_tool_is_taken_from_a_path_that_has_it_at_the_pinned_version()
    {
        await using var toolbox = FakeToolbox.Create();
        using var installer = Installer(searchPath: toolbox.PathVariable);

        foreach (var tool in new[] { "kind", "kubectl", "helm", "linkerd" })
            Assert.Equal(toolbox.ToolPath(tool), await installer.ResolveAsync(tool, _logger, CancellationToken.None));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Docker_is_never_installed_only_found()
    {
        await using var toolbox = FakeToolbox.Create(new FakeToolboxOptions { DockerInstalled = false });
        using var installer = Installer(searchPath: toolbox.PathVariable);

        var e = await Assert.ThrowsAsync<ToolInstallationException>(() => installer.ResolveAsync("docker", _logger, CancellationToken.None));

        Assert.StartsWith("docker is not on PATH: install Docker", e.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    private static async Task WriteExecutable(string path, byte[] content)
    {
        await File.WriteAllBytesAsync(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static byte[] TarGz(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        }
        return buffer.ToArray();
    }
}
