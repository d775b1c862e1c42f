using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake `dotnet`: `--version`, and `publish PROJECT -t:PublishContainer -p:...` writing what the SDK's
/// container support writes with ContainerArchiveOutputPath: a `docker save` archive (manifest.json with the
/// RepoTags repository:tag, a config, one layer) at that path (or named after the repository in that folder). No build runs.
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
        // A path with an extension is the archive itself; otherwise a folder for <repository>.tar.gz, as the SDK does.
        var target = call.ResolvePath(output);
        var archive = Path.HasExtension(target) ? target : Path.Combine(target, repository.Split('/').Last() + ".tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        WriteArchive(archive, $"{repository}:{tag}");
        call.OutLine($"  {Path.GetFileNameWithoutExtension(project)} -> {Path.Combine(Path.GetDirectoryName(call.ResolvePath(project))!, "bin", "Release", "net10.0", "publish")}/");
        call.OutLine($"  Building image '{repository}' with tags '{tag}' on top of base image '{properties.GetValueOrDefault("ContainerBaseImage")}'.");
        call.OutLine($"  Pushed image '{repository}:{tag}' to local archive at '{archive}'.");
        return 0;
    }

    private static void WriteArchive(string path, string reference)
    {
        using var file = File.Create(path);
        using var tar = new TarWriter(file, TarEntryFormat.Pax);
        Add(tar, "layer.tar", "fake layer");
        Add(tar, "config.json", new JsonObject { ["architecture"] = "amd64", ["os"] = "linux" }.ToJsonString());
        Add(tar, "manifest.json", new JsonArray(new JsonObject
        {
            ["Config"] = "config.json",
            ["RepoTags"] = new JsonArray(reference),
            ["Layers"] = new JsonArray("layer.tar"),
        }).ToJsonString());
    }

    private static void Add(TarWriter tar, string name, string content) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
}
