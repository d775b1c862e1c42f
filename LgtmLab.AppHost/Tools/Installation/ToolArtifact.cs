using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>
/// The download of one pinned tool for one platform ("{os}-{arch}"): the artifact URL with {version}, {os},
/// {arch} and {platform} filled in, and where its expected SHA-256 comes from (a pin, a checksum file or a GitHub
/// release; at least one is set).
/// </summary>
internal sealed record ToolArtifact(
    string Tool, string Version, string Platform, Uri Url, string? PinnedSha256, Uri? ChecksumUrl, Uri? ReleaseApiUrl, string? ArchiveEntry)
{
    /// <summary>The artifact's file name (what a "&lt;hex&gt;  &lt;filename&gt;" checksum line or a release asset names).</summary>
    public string FileName => Url.Segments[^1];

    /// <summary>Where a user pins this artifact's digest.</summary>
    public string PinKey => $"tools.{Tool}.sha256.{Platform}";

    public static ToolArtifact For(string tool, ToolVersion pinned, PinnedToolInstallerOptions options)
    {
        var platform = $"{options.Os}-{options.Arch}";
        string Expand(string template) => template
            .Replace("{version}", pinned.Version, StringComparison.Ordinal)
            .Replace("{platform}", pinned.Platforms.GetValueOrDefault(platform, platform), StringComparison.Ordinal)
            .Replace("{os}", options.Os, StringComparison.Ordinal)
            .Replace("{arch}", options.Arch, StringComparison.Ordinal);
        Uri? Locate(string? template, string key)
        {
            if (string.IsNullOrEmpty(template)) return null;
            if (!Uri.TryCreate(Expand(template), UriKind.Absolute, out var uri))
                throw new ToolInstallationException($"lab-assets/versions.yaml: tools.{tool}.{key} is not an absolute URL (\"{template}\")");
            return options.BaseUrl is null ? uri : new Uri(options.BaseUrl, uri.PathAndQuery);
        }
        var pin = pinned.Sha256.GetValueOrDefault(platform)?.Trim().ToLowerInvariant();
        if (pin is not null && !Sha256File.IsDigest(pin))
            throw new ToolInstallationException(
                $"lab-assets/versions.yaml: tools.{tool}.sha256.{platform} is not a SHA-256 digest (64 hex digits): \"{pin}\"");
        var artifact = new ToolArtifact(tool, pinned.Version, platform,
            Locate(pinned.Url, "url") ?? throw new ToolInstallationException($"lab-assets/versions.yaml: tools.{tool}.url is missing"),
            pin, Locate(pinned.Sha256Url, "sha256Url"), Locate(pinned.ReleaseApiUrl, "releaseApiUrl"),
            pinned.ArchiveEntry is null ? null : Expand(pinned.ArchiveEntry));
        if (artifact is { PinnedSha256: null, ChecksumUrl: null, ReleaseApiUrl: null })
            throw new ToolInstallationException(
                $"lab-assets/versions.yaml: tools.{tool} gives no way to verify its download for {platform}: add sha256Url (a published " +
                $"checksum file), releaseApiUrl (a GitHub release whose assets carry digests) or sha256.{platform} (a digest you pin)");
        return artifact;
    }
}
