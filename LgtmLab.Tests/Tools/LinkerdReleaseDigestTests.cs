using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Tools.Installation;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Tools;

/// <summary>
/// linkerd publishes no .sha256 beside its binaries since edge-25.9.4 (linkerd2 #14511, commit da4e1940c
/// "chore(release): stop producing .sha256 files"), so the installer verifies it against the digest GitHub records
/// for the release asset (REST "Get a release by tag name": assets[].name, assets[].digest = "sha256:&lt;hex&gt;").
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LinkerdReleaseDigestTests : IAsyncLifetime
{
    private const string ReleaseApiPath = "/repos/linkerd/linkerd2/releases/tags/edge-26.8.3";
    private const string DownloadPath = "/linkerd/linkerd2/releases/download/edge-26.8.3/";
    private const string LinuxAmd64 = "linkerd2-cli-edge-26.8.3-linux-amd64";

    // Every CLI asset of an edge release, as linkerd2 edge-26.8.3 cli/Dockerfile names them (build-linux-amd64,
    // build-linux-arm64, build-darwin: "-${GOOS}" only, build-darwin-arm64, build-windows: "-${GOOS}.exe").
    private static readonly string[] ReleaseAssets =
    [
        LinuxAmd64, "linkerd2-cli-edge-26.8.3-linux-arm64", "linkerd2-cli-edge-26.8.3-darwin",
        "linkerd2-cli-edge-26.8.3-darwin-arm64", "linkerd2-cli-edge-26.8.3-windows.exe",
    ];

    private static readonly LabVersions Versions = LabVersions.Load(FakeToolbox.RepositoryFile("lab-assets/versions.yaml"));
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lgtmlab-linkerd-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ListLogger _logger = new();
    private ArtifactServer _server = null!;

    private string CacheRoot => Path.Combine(_root, "cache");

    private Uri ReleaseApi => new(_server.Url, ReleaseApiPath);

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

    private PinnedToolInstaller Installer(string os = "linux", string arch = "amd64") =>
        new(Versions, new PinnedToolInstallerOptions { CacheRoot = CacheRoot, BaseUrl = _server.Url, SearchPath = "", Os = os, Arch = arch });

    private static byte[] Linkerd() => Encoding.UTF8.GetBytes("#!/bin/sh\necho 'edge-26.8.3'\n");

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The release as GitHub's API shows it: every asset with its digest (or the given one for <paramref name="asset"/>).</summary>
    private void PublishRelease(string asset, byte[] binary, string? digest)
    {
        _server.Serve(DownloadPath + asset, binary);
        var assets = ReleaseAssets.Select(name => new Dictionary<string, object?>
        {
            ["name"] = name,
            ["browser_download_url"] = "https://github.com" + DownloadPath + name,
            ["digest"] = name == asset ? digest : "sha256:" + Sha256(Encoding.UTF8.GetBytes(name)),
        });
        _server.Serve(ReleaseApiPath, JsonSerializer.Serialize(new { tag_name = "edge-26.8.3", assets }));
    }

    [Theory]
    [InlineData("linux", "amd64", "linkerd2-cli-edge-26.8.3-linux-amd64")]
    [InlineData("linux", "arm64", "linkerd2-cli-edge-26.8.3-linux-arm64")]
    [InlineData("darwin", "amd64", "linkerd2-cli-edge-26.8.3-darwin")]
    [InlineData("darwin", "arm64", "linkerd2-cli-edge-26.8.3-darwin-arm64")]
    public void The_download_is_the_asset_linkerd_builds_for_the_platform(string os, string arch, string asset)
    {
        var artifact = ToolArtifact.For("linkerd", Versions.Tool("linkerd"), new PinnedToolInstallerOptions { Os = os, Arch = arch });

        Assert.Equal("https://github.com/linkerd/linkerd2/releases/download/edge-26.8.3/" + asset, artifact.Url.ToString());
    }

    [Fact]
    public async Task Linkerd_is_verified_against_the_digest_github_lists_for_the_release_asset()
    {
        var binary = Linkerd();
        PublishRelease(LinuxAmd64, binary, "sha256:" + Sha256(binary));
        using var installer = Installer();

        var path = await installer.ResolveAsync("linkerd", _logger, CancellationToken.None);

        Assert.Equal(Path.Combine(CacheRoot, "linkerd", "edge-26.8.3", "linkerd"), path);
        Assert.Equal(binary, await File.ReadAllBytesAsync(path));
        Assert.Equal([ReleaseApiPath, DownloadPath + LinuxAmd64], _server.Requests);
        Assert.Contains(_logger.Messages, m => m.Contains($"SHA-256 {Sha256(binary)} matches GitHub's release API ({ReleaseApi}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_release_api_is_asked_the_way_github_requires()
    {
        var binary = Linkerd();
        PublishRelease(LinuxAmd64, binary, "sha256:" + Sha256(binary));
        using var installer = Installer();

        await installer.ResolveAsync("linkerd", _logger, CancellationToken.None);

        // GitHub's REST API refuses requests without a User-Agent (docs.github.com/rest, "User agent required").
        Assert.False(string.IsNullOrEmpty(_server.LastHeader(ReleaseApiPath, "User-Agent")));
        Assert.Equal("application/vnd.github+json", _server.LastHeader(ReleaseApiPath, "Accept"));
    }

    [Fact]
    public async Task The_intel_mac_binary_is_installed_from_its_darwin_asset()
    {
        var binary = Linkerd();
        PublishRelease("linkerd2-cli-edge-26.8.3-darwin", binary, "sha256:" + Sha256(binary));
        using var installer = Installer(os: "darwin", arch: "amd64");

        var path = await installer.ResolveAsync("linkerd", _logger, CancellationToken.None);

        Assert.Equal(binary, await File.ReadAllBytesAsync(path));
        Assert.Equal([ReleaseApiPath, DownloadPath + "linkerd2-cli-edge-26.8.3-darwin"], _server.Requests);
    }

    [Fact]
    public async Task A_download_that_does_not_match_the_release_digest_is_refused_and_nothing_is_installed()
    {
        var listed = Sha256(Encoding.UTF8.GetBytes("the real linkerd"));
        var tampered = Linkerd();
        PublishRelease(LinuxAmd64, tampered, "sha256:" + listed.ToUpperInvariant());
        using var installer = Installer();

        var e = await Assert.ThrowsAsync<ToolInstallationException>(() => installer.ResolveAsync("linkerd", _logger, CancellationToken.None));

        Assert.Equal($"checksum mismatch for linkerd edge-26.8.3: expected {listed} from GitHub's release API ({ReleaseApi}, " +
            $"assets[].digest of {LinuxAmd64}), got {Sha256(tampered)} " +
            $"(the download may be corrupted or tampered with; delete {Path.Combine(CacheRoot, "linkerd")} and retry)", e.Message);
        Assert.False(Directory.Exists(Path.Combine(CacheRoot, "linkerd")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha512:00")]
    public async Task Linkerd_is_refused_when_the_release_lists_no_sha256_for_its_asset(string? digest)
    {
        PublishRelease(LinuxAmd64, Linkerd(), digest);
        using var installer = Installer();

        var e = await Assert.ThrowsAsync<ToolInstallationException>(() => installer.ResolveAsync("linkerd", _logger, CancellationToken.None));

        Assert.StartsWith($"GitHub's release API ({ReleaseApi}) lists no SHA-256 digest for {LinuxAmd64}, so linkerd edge-26.8.3 " +
            "cannot be verified and is not installed: pin its SHA-256 as tools.linkerd.sha256.linux-amd64 in lab-assets/versions.yaml", e.Message, StringComparison.Ordinal);
        Assert.Equal([ReleaseApiPath], _server.Requests);
        Assert.False(Directory.Exists(Path.Combine(CacheRoot, "linkerd")));
    }

    [Fact]
    public async Task A_release_without_the_platforms_asset_names_the_assets_it_has()
    {
        PublishRelease("linkerd2-cli-edge-26.8.3-windows.exe", Linkerd(), null);
        _server.Serve(ReleaseApiPath, JsonSerializer.Serialize(new { assets = new[] { new { name = "linkerd2-cli-edge-26.8.3-windows.exe", digest = "sha256:" + new string('0', 64) } } }));
        using var installer = Installer();

        var e = await Assert.ThrowsAsync<ToolInstallationException>(() => installer.ResolveAsync("linkerd", _logger, CancellationToken.None));

        Assert.Equal($"GitHub's release API ({ReleaseApi}) lists no asset named {LinuxAmd64} (it has linkerd2-cli-edge-26.8.3-windows.exe): " +
            "check tools.linkerd.url and tools.linkerd.platforms in lab-assets/versions.yaml", e.Message);
    }

    [Fact]
    public async Task An_unreachable_release_api_names_the_url_and_what_to_do()
    {
        using var installer = Installer();
        await _server.DisposeAsync();

        var e = await Assert.ThrowsAsync<ToolInstallationException>(() => installer.ResolveAsync("linkerd", _logger, CancellationToken.None));

        Assert.StartsWith($"could not read the SHA-256 of linkerd edge-26.8.3 from GitHub's release API {ReleaseApi}: ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check your network or proxy (HTTPS_PROXY), or pin its SHA-256 as tools.linkerd.sha256.linux-amd64 in lab-assets/versions.yaml " +
            "(from a source you trust), or install linkerd edge-26.8.3 yourself and put it on PATH", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(CacheRoot, "linkerd")));
    }

    [Fact]
    public async Task A_used_up_github_rate_limit_says_when_it_resets_and_what_else_to_do()
    {
        // GitHub answers 403 (or 429) with x-ratelimit-remaining: 0 and x-ratelimit-reset in UTC epoch seconds
        // (docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api).
        var reset = new DateTimeOffset(2026, 12, 7, 10, 15, 0, TimeSpan.Zero);
        _server.Refuse(ReleaseApiPath, 403, ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var installer = Installer();

        var e = await Assert.ThrowsAsync<ToolInstallationException>(() => installer.ResolveAsync("linkerd", _logger, CancellationToken.None));

        Assert.Equal($"GitHub's API rate limit for this address is used up ({ReleaseApi}: 403 Forbidden; it resets at 2026-12-07 10:15 UTC): " +
            "retry after that, or pin its SHA-256 as tools.linkerd.sha256.linux-amd64 in lab-assets/versions.yaml (from a source you trust), " +
            "or install linkerd edge-26.8.3 yourself and put it on PATH", e.Message);
    }

    [Fact]
    public async Task A_digest_pinned_in_versions_yaml_is_used_without_asking_github()
    {
        var binary = Linkerd();
        _server.Serve(DownloadPath + LinuxAmd64, binary);
        using var installer = new PinnedToolInstaller(WithLinuxAmd64Pin(Sha256(binary)), Options());

        var path = await installer.ResolveAsync("linkerd", _logger, CancellationToken.None);

        Assert.Equal(binary, await File.ReadAllBytesAsync(path));
        Assert.Equal([DownloadPath + LinuxAmd64], _server.Requests);
    }

    [Fact]
    public async Task A_download_that_does_not_match_the_pinned_digest_is_refused_and_the_pin_named()
    {
        var pinned = Sha256(Encoding.UTF8.GetBytes("the real linkerd"));
        var binary = Linkerd();
        _server.Serve(DownloadPath + LinuxAmd64, binary);
        using var installer = new PinnedToolInstaller(WithLinuxAmd64Pin(pinned), Options());

        var e = await Assert.ThrowsAsync<ToolInstallationException>(() => installer.ResolveAsync("linkerd", _logger, CancellationToken.None));

        Assert.StartsWith($"checksum mismatch for linkerd edge-26.8.3: expected {pinned} from tools.linkerd.sha256.linux-amd64 in lab-assets/versions.yaml, " +
            $"got {Sha256(binary)} (", e.Message, StringComparison.Ordinal);
        Assert.Contains("if you changed tools.linkerd.version, update or remove the pin", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(CacheRoot, "linkerd")));
    }

    private PinnedToolInstallerOptions Options() =>
        new() { CacheRoot = CacheRoot, BaseUrl = _server.Url, SearchPath = "", Os = "linux", Arch = "amd64" };

    /// <summary>lab-assets/versions.yaml with a user's pin for the linux-amd64 linkerd binary.</summary>
    private LabVersions WithLinuxAmd64Pin(string digest)
    {
        const string Entry = "  linkerd:\n    version: edge-26.8.3\n";
        var yaml = File.ReadAllText(FakeToolbox.RepositoryFile("lab-assets/versions.yaml"));
        Assert.Contains(Entry, yaml, StringComparison.Ordinal);
        var file = Path.Combine(_root, "versions.yaml");
        File.WriteAllText(file, yaml.Replace(Entry, Entry + $"    sha256:\n      linux-amd64: {digest}\n", StringComparison.Ordinal));
        return LabVersions.Load(file);
    }
}
