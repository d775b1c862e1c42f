using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tns;

/// <summary>
/// TNS's container image for one lab: <c>lgtmlab/tns:&lt;source fingerprint&gt;</c>, so a new tag exists exactly
/// when the code changed. The archive is built once per tag under the lab's state folder and shared by every
/// remote that loads it.
/// </summary>
public sealed class TnsImage
{
    public const string Repository = "lgtmlab/tns";
    private const int TagLength = 16;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public TnsImage(TnsSampleSource source, string baseImage, string stateDirectory, string? runtimeIdentifier = null)
    {
        Source = source;
        Build = new ContainerImageBuild(source.Project, baseImage, Repository, source.Fingerprint[..TagLength],
            runtimeIdentifier ?? ContainerImageBuild.HostLinuxRuntimeIdentifier(),
            Path.Combine(stateDirectory, "images", $"tns-{source.Fingerprint[..TagLength]}"));
    }

    public TnsSampleSource Source { get; }
    public ContainerImageBuild Build { get; }
    public string Reference => Build.Reference;

    /// <summary>How a node's container runtime lists it: Docker Hub names get <c>docker.io/</c> in front.</summary>
    public string NodeReference => "docker.io/" + Reference;

    /// <summary>The archive of this tag, built with <c>dotnet publish</c> unless an earlier run (or remote) already did.</summary>
    public async Task<string> EnsureArchiveAsync(DotnetCli dotnet, ILogger logger, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(Build.ArchiveFile))
            {
                logger.LogInformation("Image {Image} is already built: {Archive}", Reference, Build.ArchiveFile);
                return Build.ArchiveFile;
            }
            // Built into a staging folder and moved into place when complete, so an interrupted publish never
            // leaves a partial archive that a later run would load.
            var staging = Build with { ArchiveDirectory = Build.ArchiveDirectory + ".partial" };
            if (Directory.Exists(staging.ArchiveDirectory)) Directory.Delete(staging.ArchiveDirectory, recursive: true);
            Directory.CreateDirectory(staging.ArchiveDirectory);
            await dotnet.PublishContainerAsync(staging, logger, cancellationToken).ConfigureAwait(false);
            if (!File.Exists(staging.ArchiveFile))
                throw new StepFailedException(
                    $"dotnet publish -t:PublishContainer succeeded but wrote no {staging.ArchiveFile}",
                    "check that the .NET SDK is 8.0.400 or newer (`dotnet --version`), then use Retry on the TNS resource");
            if (Directory.Exists(Build.ArchiveDirectory)) Directory.Delete(Build.ArchiveDirectory, recursive: true);
            Directory.Move(staging.ArchiveDirectory, Build.ArchiveDirectory);
            RemoveOlderArchives(logger);
            return Build.ArchiveFile;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Archives of earlier source versions (about 100 MB each) are of no further use once this one exists.</summary>
    private void RemoveOlderArchives(ILogger logger)
    {
        var current = Path.GetFileName(Build.ArchiveDirectory);
        foreach (var old in Directory.EnumerateDirectories(Path.GetDirectoryName(Build.ArchiveDirectory)!, "tns-*")
                     .Where(d => Path.GetFileName(d) != current && !d.EndsWith(".partial", StringComparison.Ordinal)))
        {
            logger.LogInformation("Removing the archive of an earlier TNS image: {Archive}", old);
            Directory.Delete(old, recursive: true);
        }
    }
}
