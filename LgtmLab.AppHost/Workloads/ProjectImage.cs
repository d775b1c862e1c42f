using System.Text.RegularExpressions;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Workloads;

/// <summary>
/// A project's container image for one lab: <c>&lt;repository&gt;:&lt;source fingerprint&gt;</c>, so a new tag exists
/// exactly when the code changed. The tag is the sources' as of the current engine run (<see cref="ProjectSource.Fingerprint"/>),
/// so a Retry after an edit builds, loads and deploys a new one. The archive is built once per tag under the lab's
/// state folder (<c>images/&lt;name&gt;-&lt;tag&gt;</c>) and shared by every cluster that loads it.
/// </summary>
internal sealed partial class ProjectImage
{
    private const int TagLength = 16;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _archivePrefix;
    private readonly string _repository;
    private readonly string _baseImage;
    private readonly string _imagesDirectory;
    private readonly string _runtimeIdentifier;
    private string? _lastReference;

    public ProjectImage(ProjectSource source, string repository, string baseImage, string stateDirectory, string? runtimeIdentifier = null)
    {
        Source = source;
        _archivePrefix = repository.Split('/')[^1] + "-";
        _repository = repository;
        _baseImage = baseImage;
        _imagesDirectory = Path.Combine(stateDirectory, "images");
        _runtimeIdentifier = runtimeIdentifier ?? ContainerImageBuild.HostLinuxRuntimeIdentifier();
    }

    public ProjectSource Source { get; }

    /// <summary>What the project is built on (the first workload's, when several share the repository).</summary>
    public string BaseImage => _baseImage;

    /// <summary>What the SDK is asked to build: tagged with the sources' fingerprint as of the current run.</summary>
    public ContainerImageBuild Build
    {
        get
        {
            var tag = Source.Fingerprint[..TagLength];
            var build = new ContainerImageBuild(Source.Project, _baseImage, _repository, tag, _runtimeIdentifier, Path.Combine(_imagesDirectory, _archivePrefix + tag));
            Volatile.Write(ref _lastReference, build.Reference);
            return build;
        }
    }

    public string Reference => Build.Reference;

    /// <summary>
    /// The reference the lab last worked with (that of the last run which reached the image or its manifest), for the
    /// dashboard: an edit shows once a run builds it, and showing it costs no hashing. Before any, the current one.
    /// </summary>
    public string LastReference => Volatile.Read(ref _lastReference) ?? Reference;

    /// <summary>How a node's container runtime lists it: Docker Hub names get <c>docker.io/</c> in front.</summary>
    public string NodeReference => "docker.io/" + Reference;

    /// <summary>The archive of this tag, built with <c>dotnet publish</c> unless an earlier run (or cluster) already did.</summary>
    public async Task<string> EnsureArchiveAsync(DotnetCli dotnet, ILogger logger, CancellationToken cancellationToken)
    {
        if (!Source.Exists)
            throw new StepFailedException($"the project {Source.Project} does not exist",
                "fix the project path given to the lab (an absolute path to a .csproj), then restart the AppHost");
        var build = Build;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(build.ArchiveFile))
            {
                logger.LogInformation("Image {Image} is already built: {Archive}", build.Reference, build.ArchiveFile);
                return build.ArchiveFile;
            }
            // Built into a staging folder and moved into place when complete, so an interrupted publish never
            // leaves a partial archive that a later run would load.
            var staging = build with { ArchiveDirectory = build.ArchiveDirectory + ".partial" };
            if (Directory.Exists(staging.ArchiveDirectory)) Directory.Delete(staging.ArchiveDirectory, recursive: true);
            Directory.CreateDirectory(staging.ArchiveDirectory);
            await dotnet.PublishContainerAsync(staging, logger, cancellationToken).ConfigureAwait(false);
            if (!File.Exists(staging.ArchiveFile))
                throw new StepFailedException(
                    $"dotnet publish -t:PublishContainer succeeded but wrote no {staging.ArchiveFile}",
                    "check that the .NET SDK is 8.0.400 or newer (`dotnet --version`), then use Retry on the resource");
            if (Directory.Exists(build.ArchiveDirectory)) Directory.Delete(build.ArchiveDirectory, recursive: true);
            Directory.Move(staging.ArchiveDirectory, build.ArchiveDirectory);
            RemoveOlderArchives(build, logger);
            return build.ArchiveFile;
        }
        finally
        {
            _gate.Release();
        }
    }

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex Tag();

    /// <summary>Archives of earlier source versions (about 100 MB each) are of no further use once this one exists.</summary>
    private void RemoveOlderArchives(ContainerImageBuild build, ILogger logger)
    {
        var current = Path.GetFileName(build.ArchiveDirectory);
        foreach (var old in Directory.EnumerateDirectories(Path.GetDirectoryName(build.ArchiveDirectory)!, _archivePrefix + "*")
                     .Where(d => Path.GetFileName(d) is var name && name != current && Tag().IsMatch(name[_archivePrefix.Length..])))
        {
            logger.LogInformation("Removing the archive of an earlier image: {Archive}", old);
            Directory.Delete(old, recursive: true);
        }
    }
}
