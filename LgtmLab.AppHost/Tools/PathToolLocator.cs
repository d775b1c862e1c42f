using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>
/// Takes tools from a configured directory or PATH as they are, without checking versions: for tests and for
/// machines that manage their own tools. The pinned-version installer is the default locator of the lab.
/// </summary>
internal sealed class PathToolLocator(string? directory = null) : IToolLocator
{
    public Task<string> ResolveAsync(string tool, ILogger logger, CancellationToken cancellationToken)
    {
        var found = directory is null ? ExecutableSearch.Find(tool) : ExecutableSearch.Find(tool, directory);
        return found is not null
            ? Task.FromResult(found)
            : Task.FromException<string>(new ToolNotFoundException(
                $"{tool} is not on {(directory is null ? "PATH" : directory)}: install {tool} or let the lab download its pinned version"));
    }
}
