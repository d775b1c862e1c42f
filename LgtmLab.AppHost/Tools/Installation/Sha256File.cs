using System.Globalization;

namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>
/// A published SHA-256 file: "&lt;hex&gt;  &lt;filename&gt;" lines (sha256sum; "*" marks binary mode) or a bare
/// "&lt;hex&gt;" (what dl.k8s.io publishes for kubectl).
/// </summary>
internal static class Sha256File
{
    /// <summary>The expected lowercase hex digest for <paramref name="fileName"/>; throws when the file holds none.</summary>
    public static string ExpectedDigest(string content, string fileName, Uri source)
    {
        var entries = content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split((char[])[' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length > 0)
            .Select(parts => (Digest: parts[0].ToLowerInvariant(), Name: parts.ElementAtOrDefault(1)?.Trim().TrimStart('*')))
            .ToList();
        var match = entries.Count == 1 ? entries[0] : entries.FirstOrDefault(e => e.Name is not null && Path.GetFileName(e.Name) == fileName);
        if (match.Digest is null)
            throw new ToolInstallationException($"the checksum file {source} lists no SHA-256 for {fileName}");
        if (!IsDigest(match.Digest))
            throw new ToolInstallationException($"the checksum file {source} does not hold a SHA-256 digest (found \"{Shorten(match.Digest)}\")");
        if (match.Name is { } name && Path.GetFileName(name) != fileName)
            throw new ToolInstallationException($"the checksum file {source} is for {name}, not {fileName}");
        return match.Digest.ToLower(CultureInfo.InvariantCulture);
    }

    /// <summary>64 hex digits.</summary>
    public static bool IsDigest(string text) => text.Length == 64 && text.All(Uri.IsHexDigit);

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
