using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>
/// The dotnet commands the lab uses: building a project's container image into a <c>docker load</c> archive
/// with the SDK's container support (no Dockerfile, no Docker daemon, no registry push). dotnet is a
/// prerequisite like Docker: it is taken from PATH, never downloaded.
/// </summary>
public sealed class DotnetCli(ToolRunner runner)
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
public sealed record ContainerImageBuild(string Project, string BaseImage, string Repository, string Tag, string RuntimeIdentifier, string ArchiveDirectory)
{
    /// <summary>repository:tag, as it appears in the archive's manifest and in a pod spec.</summary>
    public string Reference => $"{Repository}:{Tag}";

    public IReadOnlyDictionary<string, string> Properties => new Dictionary<string, string>
    {
        ["ContainerBaseImage"] = BaseImage,
        ["ContainerRepository"] = Repository,
        ["ContainerImageTag"] = Tag,
        ["ContainerRuntimeIdentifier"] = RuntimeIdentifier,
        ["ContainerArchiveOutputPath"] = ArchiveFile,
    };

    /// <summary>
    /// The archive the SDK writes (a <c>docker save</c> tarball; the SDK names such files .tar.gz whether or not it
    /// compresses them, and <c>kind load image-archive</c> reads either).
    /// </summary>
    public string ArchiveFile => Path.Combine(ArchiveDirectory, Repository.Split('/')[^1] + ".tar.gz");

    public IEnumerable<string> PropertyArguments => Properties.Select(p => $"-p:{p.Key}={p.Value}");

    /// <summary>The Linux runtime identifier of this machine's architecture: kind nodes run on the host's CPU.</summary>
    public static string HostLinuxRuntimeIdentifier() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "linux-arm64",
        _ => "linux-x64",
    };
}
