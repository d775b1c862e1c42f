using LgtmLab.AppHost.Workloads;

namespace LgtmLab.Tests.Workloads;

/// <summary>A project's image tag follows its own sources, those of the projects it references and the build files above it, and nothing else.</summary>
public sealed class ProjectSourceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lgtmlab-project-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_tag_follows_referenced_projects_and_build_files_but_not_build_output_or_unrelated_folders()
    {
        var shared = UserWorkloadLab.WriteProject(Path.Combine(_root, "Shared"), "Shared");
        var app = Path.Combine(_root, "App", "App.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(app)!);
        File.WriteAllText(app, "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><ProjectReference Include=\"..\\Shared\\Shared.csproj\" /></ItemGroup></Project>\n");
        Fingerprint(out var first);

        Directory.CreateDirectory(Path.Combine(_root, "App", "obj"));
        File.WriteAllText(Path.Combine(_root, "App", "obj", "project.assets.json"), "{}");
        Directory.CreateDirectory(Path.Combine(_root, "Unrelated"));
        File.WriteAllText(Path.Combine(_root, "Unrelated", "Other.cs"), "// not referenced");
        Fingerprint(out var withNoise);
        Assert.Equal(first, withNoise);

        File.WriteAllText(Path.Combine(Path.GetDirectoryName(shared)!, "Program.cs"), "// version 2\n");
        Fingerprint(out var sharedChanged);
        Assert.NotEqual(first, sharedChanged);

        File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), "<Project />");
        Fingerprint(out var propsAdded);
        Assert.NotEqual(sharedChanged, propsAdded);

        void Fingerprint(out string value) => value = new ProjectSource(app).Fingerprint;
    }

    [Fact]
    public void The_tag_does_not_depend_on_where_the_checkout_is()
    {
        var a = UserWorkloadLab.WriteProject(Path.Combine(_root, "one", "App"), "App");
        var b = UserWorkloadLab.WriteProject(Path.Combine(_root, "two", "App"), "App");

        Assert.Equal(new ProjectSource(a).Fingerprint, new ProjectSource(b).Fingerprint);
    }
}
