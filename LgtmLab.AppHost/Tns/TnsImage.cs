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
            if (FindArchive(Build.ArchiveDirectory) is { } existing)
            {
                logger.LogInformation("Image {Image} is already built: {Archive}", Reference, existing);
                return existing;
            }
            // Built into a staging folder and moved into place when complete, so an interrupted publish never
            // leaves a partial archive that a later run would load.
            var staging = Build.ArchiveDirectory + ".partial";
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            Directory.CreateDirectory(staging);
            await dotnet.PublishContainerAsync(Build with { ArchiveDirectory = staging }, logger, cancellationToken).ConfigureAwait(false);
            if (FindArchive(staging) is null)
                throw new StepFailedException(
                    $"dotnet publish -t:PublishContainer succeeded but wrote no archive into {staging}",
                    "check that the .NET SDK is 8.0.400 or newer (`dotnet --version`), then use Retry on the TNS resource");
            Directory.Move(staging, Build.ArchiveDirectory);
            return FindArchive(Build.ArchiveDirectory)!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string? FindArchive(string directory) => !Directory.Exists(directory) ? null
        : Directory.EnumerateFiles(directory, "*.tar*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault();
}
