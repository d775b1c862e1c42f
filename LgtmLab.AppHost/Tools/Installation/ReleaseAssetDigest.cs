using System.Text.Json;

namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>
/// The SHA-256 GitHub recorded for a release asset when it was uploaded: REST "get a release by tag name" answers
/// <c>{"assets": [{"name": ..., "digest": "sha256:&lt;hex&gt;"}, ...]}</c>; the digest is null for assets uploaded
/// before GitHub started computing them (June 2025).
/// </summary>
internal static class ReleaseAssetDigest
{
    private const string Prefix = "sha256:";

    public static string Find(string releaseJson, ToolArtifact artifact, Uri source)
    {
        var api = $"GitHub's release API ({source})";
        List<(string Name, string? Digest)> assets;
        try
        {
            using var release = JsonDocument.Parse(releaseJson);
            if (release.RootElement.ValueKind != JsonValueKind.Object
                || !release.RootElement.TryGetProperty("assets", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new ToolInstallationException($"{api} did not answer with a release (no \"assets\" list); retry later, or {Alternatives(artifact)}");
            assets = [.. list.EnumerateArray()
                .Where(asset => asset.ValueKind == JsonValueKind.Object && asset.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                .Select(asset => (asset.GetProperty("name").GetString()!,
                    asset.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.String ? digest.GetString() : null))];
        }
        catch (JsonException e)
        {
            throw new ToolInstallationException($"{api} did not answer with JSON ({e.Message}); retry later, or {Alternatives(artifact)}", e);
        }
        var match = assets.FirstOrDefault(asset => asset.Name == artifact.FileName);
        if (match.Name is null)
            throw new ToolInstallationException(
                $"{api} lists no asset named {artifact.FileName} (it has {(assets.Count == 0 ? "none" : string.Join(", ", assets.Select(a => a.Name)))}): " +
                $"check tools.{artifact.Tool}.url and tools.{artifact.Tool}.platforms in lab-assets/versions.yaml");
        var hex = match.Digest is { } d && d.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? d[Prefix.Length..].ToLowerInvariant() : null;
        if (hex is null || !Sha256File.IsDigest(hex))
            throw new ToolInstallationException(
                $"{api} lists no SHA-256 digest for {artifact.FileName}, so {artifact.Tool} {artifact.Version} cannot be verified and is not installed: " +
                $"{Alternatives(artifact)}");
        return hex;
    }

    /// <summary>What a user can do when GitHub cannot vouch for the artifact.</summary>
    public static string Alternatives(ToolArtifact artifact) =>
        $"pin its SHA-256 as {artifact.PinKey} in lab-assets/versions.yaml (from a source you trust), " +
        $"or install {artifact.Tool} {artifact.Version} yourself and put it on PATH";
}
