using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Scripting;

/// <summary>The README shows the command lines the CLI tests run, word for word.</summary>
public sealed class ReadmeScriptTests
{
    [Fact]
    public void The_README_shows_every_command_line_the_CLI_tests_run()
    {
        var readme = File.ReadAllText(FakeToolbox.RepositoryFile("README.md"));
        var missing = ReadmeScript.All.Where(line => !readme.Contains(line, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "README.md no longer shows: " + string.Join("; ", missing));
    }
}
