using System.Collections.Concurrent;
using System.Security.Cryptography;
using LgtmLab.AppHost.Configuration;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>
/// kind, kubectl, helm and linkerd at the versions pinned in lab-assets/versions.yaml: the copy on PATH when
/// it reports exactly that version, otherwise the one downloaded once into
/// <c>~/.lgtmlab/tools/&lt;tool&gt;/&lt;version&gt;/</c>. A download is checked before anything is extracted or
/// made executable against the SHA-256 pinned in versions.yaml, or else the one the project publishes beside the
/// artifact, or else the one GitHub lists for the release asset (see <see cref="ExpectedDigest"/>), and refused
/// (and deleted) when it does not match. The cached executable's own digest is recorded and checked on every later use, so
/// a cache hit needs no network and a corrupted or swapped file is never run. Docker is only looked up on PATH.
/// </summary>
internal sealed class PinnedToolInstaller : IToolLocator, IDisposable
{
    private readonly LabVersions _versions;
    private readonly PinnedToolInstallerOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new();
    private readonly ConcurrentDictionary<string, string> _resolved = new();

    public PinnedToolInstaller(LabVersions versions, PinnedToolInstallerOptions? options = null, HttpClient? httpClient = null)
    {
        _versions = versions;
        _options = options ?? new PinnedToolInstallerOptions();
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
    }

    public async Task<string> ResolveAsync(string tool, ILogger logger, CancellationToken cancellationToken)
    {
        if (tool == "docker")
            return FindOnPath("docker") ?? throw new ToolInstallationException(
                "docker is not on PATH: install Docker (Docker Desktop, or Docker Engine on Linux) and check that `docker info` works; the lab never installs Docker itself");
        if (!_versions.Tools.TryGetValue(tool, out var pinned))
            throw new ToolInstallationException($"lab-assets/versions.yaml has no tools.{tool} entry: add its version, url and sha256Url (or releaseApiUrl)");
        if (_resolved.TryGetValue(tool, out var known)) return known;
        var gate = _gates.GetOrAdd(tool, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_resolved.TryGetValue(tool, out known)) return known;
            var path = await FromPathAsync(tool, pinned.Version, logger, cancellationToken)
                ?? await FromCacheAsync(tool, pinned.Version, logger, cancellationToken)
                ?? await InstallAsync(ToolArtifact.For(tool, pinned, _options), logger, cancellationToken);
            _resolved[tool] = path;
            return path;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Where <paramref name="tool"/> at <paramref name="version"/> lives in the cache (whether or not it is there).</summary>
    public string CachedPath(string tool, string version) => Path.Combine(_options.CacheRoot, tool, version, tool);

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        foreach (var gate in _gates.Values) gate.Dispose();
    }

    private async Task<string?> FromPathAsync(string tool, string version, ILogger logger, CancellationToken cancellationToken)
    {
        var candidate = FindOnPath(tool);
        if (candidate is null) return null;
        var found = await ToolVersionProbe.DetectAsync(tool, candidate, _options.VersionProbeTimeout, cancellationToken);
        if (found == version)
        {
            logger.LogInformation("Using {Tool} {Version} from PATH: {Path}", tool, version, candidate);
            return candidate;
        }
        logger.LogInformation("{Tool} on PATH ({Path}) is {Found}, the lab pins {Version}: using the pinned one instead",
            tool, candidate, found ?? "of an unknown version", version);
        return null;
    }

    private async Task<string?> FromCacheAsync(string tool, string version, ILogger logger, CancellationToken cancellationToken)
    {
        var executable = CachedPath(tool, version);
        var record = executable + ".sha256";
        if (!File.Exists(executable) || !File.Exists(record)) return null;
        var recorded = (await File.ReadAllTextAsync(record, cancellationToken)).Split(' ', 2)[0].Trim();
        var actual = await DigestAsync(executable, cancellationToken);
        if (actual == recorded)
        {
            logger.LogInformation("Using {Tool} {Version} from the cache: {Path}", tool, version, executable);
            return executable;
        }
        logger.LogWarning("The cached {Tool} {Version} ({Path}) no longer matches the SHA-256 recorded when it was verified; downloading it again",
            tool, version, executable);
        File.Delete(executable);
        File.Delete(record);
        return null;
    }

    private async Task<string> InstallAsync(ToolArtifact artifact, ILogger logger, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(CachedPath(artifact.Tool, artifact.Version))!;
        Directory.CreateDirectory(directory);
        RemoveAbandonedStaging(directory);
        var staging = Directory.CreateDirectory(Path.Combine(directory, ".staging-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var installed = false;
        try
        {
            var downloader = new ToolDownloader(_http);
            var expected = await ExpectedDigest.ResolveAsync(artifact, downloader, cancellationToken);
            var download = Path.Combine(staging, artifact.FileName);
            var actual = await downloader.DownloadAsync(artifact, artifact.Url, download, logger, cancellationToken);
            if (actual != expected.Sha256)
            {
                var retry = $"delete {Display(Path.Combine(_options.CacheRoot, artifact.Tool))} and retry";
                throw new ToolInstallationException(
                    $"checksum mismatch for {artifact.Tool} {artifact.Version}: expected {expected.Sha256} from {expected.Source}, got {actual} (" +
                    (expected.IsPin
                        ? $"if you changed tools.{artifact.Tool}.version, update or remove the pin; otherwise the download may be corrupted or tampered with: {retry})"
                        : $"the download may be corrupted or tampered with; {retry})"));
            }
            logger.LogInformation("{Tool} {Version}: SHA-256 {Digest} matches {Source}", artifact.Tool, artifact.Version, actual, expected.Source);

            var executable = download;
            if (artifact.ArchiveEntry is { } entry)
            {
                executable = Path.Combine(staging, artifact.Tool);
                await ArchiveEntry.ExtractAsync(artifact, download, entry, executable, cancellationToken);
            }
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var digest = await DigestAsync(executable, cancellationToken);
            var target = CachedPath(artifact.Tool, artifact.Version);
            var record = Path.Combine(staging, artifact.Tool + ".sha256");
            await File.WriteAllTextAsync(record, $"{digest}  {artifact.Tool}\n", cancellationToken);
            File.Move(executable, target, overwrite: true);
            File.Move(record, target + ".sha256", overwrite: true);
            installed = true;
            logger.LogInformation("Installed {Tool} {Version} into {Path}", artifact.Tool, artifact.Version, target);
            return target;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
            if (!installed) RemoveIfEmpty(directory);
        }
    }

    /// <summary>Staging folders an interrupted install left behind (an hour is far longer than any download).</summary>
    private static void RemoveAbandonedStaging(string versionDirectory)
    {
        foreach (var stale in Directory.EnumerateDirectories(versionDirectory, ".staging-*"))
            if (Directory.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddHours(-1)) Directory.Delete(stale, recursive: true);
    }

    private static void RemoveIfEmpty(string versionDirectory)
    {
        foreach (var directory in new[] { versionDirectory, Path.GetDirectoryName(versionDirectory)! })
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any()) Directory.Delete(directory);
    }

    private string? FindOnPath(string tool) =>
        (_options.SearchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(IsExecutable);

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    private static async Task<string> DigestAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    private static string Display(string path)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 0 && path.StartsWith(home + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? "~" + path[home.Length..] : path;
    }
}
