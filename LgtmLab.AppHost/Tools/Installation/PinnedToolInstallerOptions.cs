using System.Runtime.InteropServices;

namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>Where <see cref="PinnedToolInstaller"/> looks for tools, caches downloads and downloads from.</summary>
internal sealed class PinnedToolInstallerOptions
{
    /// <summary>The per-user cache; a tool lands in <c>&lt;CacheRoot&gt;/&lt;tool&gt;/&lt;version&gt;/&lt;tool&gt;</c>. Default <c>~/.lgtmlab/tools</c>.</summary>
    public string CacheRoot { get; init; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".lgtmlab", "tools");

    /// <summary>
    /// Replaces scheme, host and port of every artifact, checksum and release API URL (a mirror, or a local server
    /// in tests);
    /// the path stays as versions.yaml gives it. Null: the upstream URLs.
    /// </summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>The PATH searched for an already installed tool; default: this process's PATH.</summary>
    public string? SearchPath { get; init; }

    /// <summary>{os} of the URL templates: linux or darwin. With <see cref="Arch"/>, the platform "{os}-{arch}".</summary>
    public string Os { get; init; } = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "darwin" : "linux";

    /// <summary>{arch} of the URL templates: amd64 or arm64.</summary>
    public string Arch { get; init; } = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";

    /// <summary>How long `tool version` may take before the PATH copy is ignored.</summary>
    public TimeSpan VersionProbeTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
