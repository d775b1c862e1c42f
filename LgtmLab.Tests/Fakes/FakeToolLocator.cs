using LgtmLab.AppHost.Tools;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.Fakes;

/// <summary>An <see cref="IToolLocator"/> that answers with the fake executables (what the engine gets in contract tests).</summary>
internal sealed class FakeToolLocator(FakeToolbox toolbox) : IToolLocator
{
    public Task<string> ResolveAsync(string tool, ILogger logger, CancellationToken cancellationToken)
    {
        var path = toolbox.ToolPath(tool);
        return File.Exists(path)
            ? Task.FromResult(path)
            : throw new FileNotFoundException($"{tool} is not installed (the FakeToolbox has no {tool}: Docker.Installed is false?)", path);
    }
}
