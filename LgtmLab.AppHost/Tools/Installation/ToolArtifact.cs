using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>The download of one pinned tool: artifact and checksum URLs with {version}, {os} and {arch} filled in.</summary>
public sealed record ToolArtifact(string Tool, string Version, Uri Url, Uri ChecksumUrl, string? ArchiveEntry)
{
    /// <summary>The artifact's file name (what a "&lt;hex&gt;  &lt;filename&gt;" checksum line names).</summary>
    public string FileName => Url.Segments[^1];

    public static ToolArtifact For(string tool, ToolVersion pinned, PinnedToolInstallerOptions options)
    {
        string Expand(string template) => template
            .Replace("{version}", pinned.Version, StringComparison.Ordinal)
            .Replace("{os}", options.Os, StringComparison.Ordinal)
            .Replace("{arch}", options.Arch, StringComparison.Ordinal);
        Uri Locate(string template, string key)
        {
            if (!Uri.TryCreate(Expand(template), UriKind.Absolute, out var uri))
                throw new ToolInstallationException($"lab-assets/versions.yaml: tools.{tool}.{key} is not an absolute URL (\"{template}\")");
            return options.BaseUrl is null ? uri : new Uri(options.BaseUrl, uri.PathAndQuery);
        }
        return new ToolArtifact(tool, pinned.Version, Locate(pinned.Url, "url"), Locate(pinned.Sha256Url, "sha256Url"),
            pinned.ArchiveEntry is null ? null : Expand(pinned.ArchiveEntry));
    }
}
