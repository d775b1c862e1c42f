using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>
/// The dotnet commands the lab uses: building a project's container image into a <c>docker load</c> archive
/// with the SDK's container support (no Dockerfile, no Docker daemon, no registry push). dotnet is a
/// prerequisite like Docker: it is taken from PATH, never downloaded.
/// </summary>
internal sealed class DotnetCli(ToolRunner runner)
{
    public const string Executable = "dotnet";

    public static ToolNotFoundException NotInstalled() => new(
        "dotnet is not on PATH: install the .NET 10 SDK (https://dot.net), or start the AppHost with `dotnet run` from a shell where `dotnet --version` works");

    /// <summary><c>dotnet publish -t:PublishContainer</c> with <paramref name="image"/>'s properties; the archive lands in its folder.</summary>
    public Task PublishContainerAsync(ContainerImageBuild image, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["publish", image.Project, "-c", "Release", "-t:PublishContainer", "-nologo", .. image.PropertyArguments], Mutates: true),
            logger, cancellationToken);
}

/// <summary>
/// A container image the SDK builds from a project: base image, repository and tag, target platform, and the
/// folder the archive is written to. <see cref="Properties"/> are exactly the MSBuild properties passed.
/// </summary>
internal sealed record ContainerImageBuild(string Project, string BaseImage, string Repository, string Tag, string RuntimeIdentifier, string ArchiveDirectory)
{
    /// <summary>repository:tag, as it appears in the archive's manifest and in a pod spec.</summary>
    public string Reference => $"{Repository}:{Tag}";

    public IReadOnlyDictionary<string, string> Properties => new Dictionary<string, string>
    {
        ["ContainerBaseImage"] = BaseImage,
        ["ContainerRepository"] = Repository,
        ["ContainerImageTag"] = Tag,
        ["ContainerRuntimeIdentifier"] = RuntimeIdentifier,
        ["ContainerImageFormat"] = ImageFormat,
        ["ContainerArchiveOutputPath"] = ArchiveFile,
    };

    /// <summary>
    /// Docker, not OCI: the SDK otherwise follows the base image's manifest type and may write an OCI layout, whose
    /// only name is the annotation org.opencontainers.image.ref.name "lgtmlab/tns:tag" (dotnet/sdk
    /// LocalDaemons/DockerCli.cs WriteManifestForOciImage). containerd v2.3.1 (the kind v0.32.0 node's, kind
    /// images/base/Dockerfile) keeps such a name as it is (core/transfer/image/imagestore.go imageName,
    /// core/images/archive/reference.go refTranslator), while a docker-save manifest.json's RepoTags are normalized to
    /// docker.io/lgtmlab/tns:tag (core/images/archive/importer.go ImportIndex), the name a pod's image resolves to.
    /// </summary>
    public const string ImageFormat = "Docker";

    /// <summary>
    /// The archive the SDK writes: an uncompressed tar (dotnet/sdk LocalDaemons/DockerCli.cs writes a TarWriter
    /// straight into the file; only its default file name says .tar.gz, dotnet/sdk-container-builds#518), so it is
    /// named .tar. <c>kind load image-archive</c> streams it untouched to <c>ctr images import</c> (kind v0.32.0
    /// pkg/cluster/nodeutils/util.go LoadImageArchive), which would also take gzip (containerd v2.3.1
    /// core/transfer/archive/importer.go decompresses by magic number); uncompressed is the form both ctr paths read.
    /// </summary>
    public string ArchiveFile => Path.Combine(ArchiveDirectory, Repository.Split('/')[^1] + ".tar");

    public IEnumerable<string> PropertyArguments => Properties.Select(p => $"-p:{p.Key}={p.Value}");

    /// <summary>The Linux runtime identifier of this machine's architecture: kind nodes run on the host's CPU.</summary>
    public static string HostLinuxRuntimeIdentifier() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "linux-arm64",
        _ => "linux-x64",
    };
}
