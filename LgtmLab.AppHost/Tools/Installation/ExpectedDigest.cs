namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>The SHA-256 a download must have, and where that value came from (named in every message about it).</summary>
internal sealed record ExpectedDigest(string Sha256, string Source, bool IsPin)
{
    /// <summary>The user's pin first; then the published checksum file; then the digest GitHub lists for the release asset.</summary>
    public static async Task<ExpectedDigest> ResolveAsync(ToolArtifact artifact, ToolDownloader downloader, CancellationToken cancellationToken)
    {
        if (artifact.PinnedSha256 is { } pin)
            return new(pin, $"{artifact.PinKey} in lab-assets/versions.yaml", IsPin: true);
        if (artifact.ChecksumUrl is { } checksumUrl)
            return new(Sha256File.ExpectedDigest(await downloader.GetTextAsync(artifact, checksumUrl, cancellationToken), artifact.FileName, checksumUrl),
                checksumUrl.ToString(), IsPin: false);
        var releaseApi = artifact.ReleaseApiUrl!;
        return new(ReleaseAssetDigest.Find(await downloader.GetReleaseAsync(artifact, releaseApi, cancellationToken), artifact, releaseApi),
            $"GitHub's release API ({releaseApi}, assets[].digest of {artifact.FileName})", IsPin: false);
    }
}
