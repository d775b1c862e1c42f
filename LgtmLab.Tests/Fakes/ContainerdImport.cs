using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// What a kind node's <c>ctr --namespace=k8s.io images import --all-platforms --digests --snapshotter=overlayfs -</c>
/// (kind v0.32.0 pkg/cluster/nodeutils/util.go LoadImageArchive) makes of an archive: the image names it stores, or
/// the error it fails with. The node runs containerd v2.3.1 (kind v0.32.0 images/base/Dockerfile), whose ctr imports
/// through the transfer service unless --local is given (cmd/ctr/commands/images/import.go), as kind does not.
/// </summary>
internal static class ContainerdImport
{
    /// <summary>The names the node's image store holds after the import; a <see cref="FormatException"/> carries ctr's error.</summary>
    public static IReadOnlyList<string> Names(string archive, DateOnly today)
    {
        var prefix = $"import-{today:yyyy-MM-dd}";
        using var file = File.OpenRead(archive);
        using var tar = new TarReader(Decompressed(file));
        JsonArray? dockerManifests = null;
        JsonNode? ociLayout = null;
        JsonNode? ociIndex = null;
        // core/images/archive/importer.go ImportIndex: every regular file is read; oci-layout and manifest.json are
        // parsed, everything else (index.json among them) is a blob.
        try
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                switch (Path.TrimEndingDirectorySeparator(entry.Name.TrimStart('.', '/')))
                {
                    case "oci-layout": ociLayout = JsonNode.Parse(entry.DataStream); break;
                    case "manifest.json": dockerManifests = JsonNode.Parse(entry.DataStream) as JsonArray; break;
                    case "index.json": ociIndex = JsonNode.Parse(entry.DataStream); break;
                }
            }
        }
        catch (InvalidDataException) { throw new FormatException("archive/tar: invalid tar header"); }
        if ((string?)ociLayout?["imageLayoutVersion"] is { } version)
        {
            if (version != "1.0.0") throw new FormatException($"unsupported OCI version {version}");
            if (ociIndex is null) throw new FormatException("missing index.json in OCI layout 1.0.0");
            // core/transfer/image/imagestore.go imageName: io.containerd.image.name, else org.opencontainers.image.ref.name
            // through core/images/archive/reference.go AddRefPrefix (a name with / : or @ is kept as it is, a bare tag
            // gets the import-<date> prefix); none: only the digest reference that --digests adds.
            return [.. (ociIndex["manifests"] as JsonArray ?? []).Select(m =>
            {
                var annotations = m?["annotations"];
                if ((string?)annotations?["io.containerd.image.name"] is { Length: > 0 } full) return full;
                if ((string?)annotations?["org.opencontainers.image.ref.name"] is { Length: > 0 } refName)
                    return refName.IndexOfAny(['/', ':', '@']) >= 0 ? refName : $"{prefix}:{refName}";
                return $"{prefix}@{(string?)m?["digest"]}";
            })];
        }
        if (dockerManifests is null) throw new FormatException("unrecognized image format");
        // importer.go: each RepoTag is normalized (docker.io/, library/ for a bare name) into io.containerd.image.name.
        return [.. dockerManifests.SelectMany(m => m?["RepoTags"] as JsonArray ?? []).Select(t => Normalized((string)t!))];
    }

    /// <summary>
    /// core/transfer/archive/importer.go Import: with no media type (ctr passes none) the stream goes through
    /// pkg/archive/compression DecompressStream, which recognizes gzip (1f 8b 08) and zstd by their magic numbers.
    /// </summary>
    private static Stream Decompressed(FileStream file)
    {
        Span<byte> magic = stackalloc byte[4];
        var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        if (read >= 3 && magic[0] == 0x1f && magic[1] == 0x8b && magic[2] == 0x08) return new GZipStream(file, CompressionMode.Decompress);
        if (read >= 4 && magic.SequenceEqual((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]))
            throw new NotSupportedException("fake kind: a zstd-compressed image archive is not transcribed (the lab never writes one)");
        return file;
    }

    /// <summary>Docker's reference normalization as containerd's importer applies it (distribution/reference ParseDockerRef).</summary>
    private static string Normalized(string reference)
    {
        var first = reference.Split('/')[0];
        if (reference.Contains('/') && (first.Contains('.') || first.Contains(':') || first == "localhost")) return reference;
        return reference.Contains('/') ? "docker.io/" + reference : "docker.io/library/" + reference;
    }
}
