using System.Text;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Pki;

/// <summary>Folders only the owner can enter (0700) and files created with their final mode from the first byte.</summary>
internal static class PrivateFiles
{
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode PublicFile = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the folder (and its missing parents) as 0700, or tightens an existing one that others can open.</summary>
    public static void EnsureDirectory(string path, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        if (!Directory.Exists(path))
        {
            // Missing parents too (the state folder, pki/): CreateDirectory would give them the default mode.
            var parent = Path.GetDirectoryName(Path.GetFullPath(path));
            if (parent is not null && !Directory.Exists(parent))
                EnsureDirectory(parent, logger);
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
            return;
        }
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnlyDirectory);
            logger.LogWarning("{Path} was open to other users; its mode is now 0700", path);
        }
    }

    /// <summary>Makes a key file 0600 again if someone loosened it.</summary>
    public static void TightenOwnerOnlyFile(string path, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
            return;
        if ((File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnlyFile);
            logger.LogWarning("{Path} was readable by other users; its mode is now 0600", path);
        }
    }

    /// <summary>Creates a new file (never overwrites) with <paramref name="mode"/> set before any content is written, and flushes it to disk.</summary>
    public static void WriteNew(string path, string content, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = mode;
        using (var stream = new FileStream(path, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }
        // The create mode went through the umask; set the exact mode.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, mode);
    }

    /// <summary>Writes <paramref name="content"/> to a hidden temporary file beside <paramref name="path"/>, for the
    /// caller to rename into place (one rename: readers see the old file or the new one, never a part).</summary>
    public static string WriteTemporarySibling(string path, string content, UnixFileMode mode)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        WriteNew(temporary, content, mode);
        return temporary;
    }
}
