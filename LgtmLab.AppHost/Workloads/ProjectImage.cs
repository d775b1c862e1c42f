using System.Text.RegularExpressions;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Workloads;

/// <summary>
/// A project's container image for one lab: <c>&lt;repository&gt;:&lt;source fingerprint&gt;</c>, so a new tag exists
/// exactly when the code changed. The archive is built once per tag under the lab's state folder
/// (<c>images/&lt;name&gt;-&lt;tag&gt;</c>) and shared by every cluster that loads it.
/// </summary>
internal sealed partial class ProjectImage
{
    private const int TagLength = 16;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _archivePrefix;

    public ProjectImage(ProjectSource source, string repository, string baseImage, string stateDirectory, string? runtimeIdentifier = null)
    {
        Source = source;
        _archivePrefix = repository.Split('/')[^1] + "-";
        var tag = new Lazy<string>(() => source.Fingerprint[..TagLength]);
        _build = new(() => new ContainerImageBuild(source.Project, baseImage, repository, tag.Value,
            runtimeIdentifier ?? ContainerImageBuild.HostLinuxRuntimeIdentifier(),
            Path.Combine(stateDirectory, "images", _archivePrefix + tag.Value)));
    }

    private readonly Lazy<ContainerImageBuild> _build;

    public ProjectSource Source { get; }

    /// <summary>What the SDK is asked to build; its tag hashes the sources on first use.</summary>
    public ContainerImageBuild Build => _build.Value;

    public string Reference => Build.Reference;

    /// <summary>How a node's container runtime lists it: Docker Hub names get <c>docker.io/</c> in front.</summary>
    public string NodeReference => "docker.io/" + Reference;

    /// <summary>The archive of this tag, built with <c>dotnet publish</c> unless an earlier run (or cluster) already did.</summary>
    public async Task<string> EnsureArchiveAsync(DotnetCli dotnet, ILogger logger, CancellationToken cancellationToken)
    {
        if (!Source.Exists)
            throw new StepFailedException($"the project {Source.Project} does not exist",
                "fix the project path given to the lab (an absolute path to a .csproj), then restart the AppHost");
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
                    "check that the .NET SDK is 8.0.400 or newer (`dotnet --version`), then use Retry on the resource");
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

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex Tag();

    /// <summary>Archives of earlier source versions (about 100 MB each) are of no further use once this one exists.</summary>
    private void RemoveOlderArchives(ILogger logger)
    {
        var current = Path.GetFileName(Build.ArchiveDirectory);
        foreach (var old in Directory.EnumerateDirectories(Path.GetDirectoryName(Build.ArchiveDirectory)!, _archivePrefix + "*")
                     .Where(d => Path.GetFileName(d) is var name && name != current && Tag().IsMatch(name[_archivePrefix.Length..])))
        {
            logger.LogInformation("Removing the archive of an earlier image: {Archive}", old);
            Directory.Delete(old, recursive: true);
        }
    }
}
