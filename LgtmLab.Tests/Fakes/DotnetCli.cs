using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake `dotnet`: `--version`, and `publish PROJECT -t:PublishContainer -p:...` writing what the SDK's
/// container support writes with ContainerArchiveOutputPath and ContainerImageFormat: an uncompressed `docker save`
/// (Docker) or OCI-layout (OCI) tar at that path (or named after the repository in that folder). No build runs.
/// </summary>
internal sealed class DotnetCli
{
    public const string SdkVersion = "10.0.401";

    public int Run(FakeCall call)
    {
        var args = call.Args;
        if (args is ["--version"]) { call.OutLine(SdkVersion); return 0; }
        if (args.FirstOrDefault() != "publish" || !args.Contains("-t:PublishContainer"))
        {
            call.ErrLine($"fake dotnet: `{call.CommandLine}` is not implemented by LgtmLab.Tests/Fakes (only publish -t:PublishContainer); add it to DotnetCli.cs");
            return 125;
        }
        var project = args.Skip(1).FirstOrDefault(a => !a.StartsWith('-'));
        if (project is null || !File.Exists(call.ResolvePath(project)))
        {
            call.ErrLine($"MSBUILD : error MSB1009: Project file does not exist.");
            call.ErrLine($"Switch: {project}");
            return 1;
        }
        var properties = args.Where(a => a.StartsWith("-p:", StringComparison.Ordinal))
            .Select(a => a[3..].Split('=', 2))
            .ToDictionary(p => p[0], p => p.ElementAtOrDefault(1) ?? "", StringComparer.OrdinalIgnoreCase);
        var repository = properties.GetValueOrDefault("ContainerRepository") ?? Path.GetFileNameWithoutExtension(project).ToLowerInvariant();
        var tag = properties.GetValueOrDefault("ContainerImageTag") ?? "latest";
        if (properties.GetValueOrDefault("ContainerArchiveOutputPath") is not { Length: > 0 } output)
        {
            call.ErrLine("fake dotnet: only ContainerArchiveOutputPath publishing is implemented (a registry or a Docker daemon would be needed otherwise)");
            return 125;
        }
        // dotnet/sdk LocalDaemons/ArchiveFileRegistry.cs LoadAsync: an existing folder or a path ending in a
        // separator gets "<repository>.tar.gz" appended (the repository with its slash); any other path is the file.
        var target = call.ResolvePath(output);
        var archive = Directory.Exists(target) || output.EndsWith('/') ? Path.Combine(target, repository + ".tar.gz") : target;
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        // CreateNewImage: ContainerImageFormat is one of KnownImageFormats (OCI, Docker: read from the 10.0.401 task
        // assembly); unset, the format follows the base image's manifest, which the fake has no registry to read.
        switch (properties.GetValueOrDefault("ContainerImageFormat"))
        {
            case "Docker": WriteDockerArchive(archive, repository, tag); break;
            case "OCI": WriteOciArchive(archive, repository, tag); break;
            case null or "":
                call.ErrLine("fake dotnet: without ContainerImageFormat the SDK writes the base image's manifest format, which the fake cannot know; pass -p:ContainerImageFormat=Docker or OCI");
                return 125;
            case var other:
                call.ErrLine($"error CONTAINER2031: The container image format '{other}' is not supported. Supported formats are 'OCI, Docker'.");
                return 1;
        }
        call.OutLine($"  {Path.GetFileNameWithoutExtension(project)} -> {Path.Combine(Path.GetDirectoryName(call.ResolvePath(project))!, "bin", "Release", "net10.0", "publish")}/");
        call.OutLine($"  Building image '{repository}' with tags '{tag}' on top of base image '{properties.GetValueOrDefault("ContainerBaseImage")}'.");
        call.OutLine($"  Pushed image '{repository}:{tag}' to local archive at '{archive}'.");
        return 0;
    }

    /// <summary>
    /// dotnet/sdk LocalDaemons/DockerCli.cs WriteDockerImageToStreamAsync: a plain (uncompressed) tar of
    /// &lt;digest&gt;/layer.tar, &lt;config digest&gt;.json and manifest.json [{Config, RepoTags ["repository:tag"], Layers}].
    /// </summary>
    private static void WriteDockerArchive(string path, string repository, string tag)
    {
        using var file = File.Create(path);
        using var tar = new TarWriter(file, TarEntryFormat.Pax);
        var layer = Digest("fake layer");
        var config = Digest(Config);
        Add(tar, $"{layer}/layer.tar", "fake layer");
        Add(tar, $"{config}.json", Config);
        Add(tar, "manifest.json", new JsonArray(new JsonObject
        {
            ["Config"] = $"{config}.json",
            ["RepoTags"] = new JsonArray($"{repository}:{tag}"),
            ["Layers"] = new JsonArray($"{layer}/layer.tar"),
        }).ToJsonString());
    }

    /// <summary>
    /// dotnet/sdk LocalDaemons/DockerCli.cs WriteOciImageToStreamAsync: oci-layout, blobs/sha256/*, and index.json
    /// naming the manifest only by the annotation org.opencontainers.image.ref.name "repository:tag".
    /// </summary>
    private static void WriteOciArchive(string path, string repository, string tag)
    {
        using var file = File.Create(path);
        using var tar = new TarWriter(file, TarEntryFormat.Pax);
        Add(tar, "oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}");
        Add(tar, $"blobs/sha256/{Digest("fake layer")}", "fake layer");
        Add(tar, $"blobs/sha256/{Digest(Config)}", Config);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = "sha256:" + Digest(Config), ["size"] = Config.Length },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar", ["digest"] = "sha256:" + Digest("fake layer"), ["size"] = 10 }),
        }.ToJsonString();
        Add(tar, $"blobs/sha256/{Digest(manifest)}", manifest);
        Add(tar, "index.json", new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["size"] = manifest.Length,
                ["digest"] = "sha256:" + Digest(manifest),
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = $"{repository}:{tag}" },
            }),
        }.ToJsonString());
    }

    private const string Config = """{"architecture":"amd64","os":"linux"}""";

    private static string Digest(string content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static void Add(TarWriter tar, string name, string content) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
}
