using System.Formats.Tar;
using System.IO.Compression;

namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>Takes one file out of a .tar.gz release archive (helm ships as linux-amd64/helm inside one).</summary>
internal static class ArchiveEntry
{
    public static async Task ExtractAsync(ToolArtifact artifact, string archive, string entryName, string destination, CancellationToken cancellationToken)
    {
        var wanted = Normalize(entryName);
        await using var file = File.OpenRead(archive);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        try
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (Normalize(entry.Name) != wanted) continue;
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                    throw new ToolInstallationException($"{artifact.FileName}: {entryName} is not a regular file");
                await using var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
                await entry.DataStream.CopyToAsync(target, cancellationToken);
                return;
            }
        }
        catch (InvalidDataException e)
        {
            throw new ToolInstallationException($"{artifact.FileName} is not a valid .tar.gz archive: {e.Message}", e);
        }
        throw new ToolInstallationException(
            $"{artifact.FileName} has no {entryName}; check tools.{artifact.Tool}.archiveEntry in lab-assets/versions.yaml");
    }

    private static string Normalize(string name) => name.Replace('\\', '/').TrimStart('.', '/');
}
