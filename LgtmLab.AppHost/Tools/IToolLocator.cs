using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>Finds the executable for a pinned tool (kind, kubectl, helm, linkerd; docker is never installed).</summary>
internal interface IToolLocator
{
    /// <summary>
    /// The full path of <paramref name="tool"/> at its pinned version: from PATH when the version matches,
    /// otherwise from (or downloaded and verified into) the per-user cache. Throws with a message that names
    /// the problem and the fix when it cannot.
    /// </summary>
    Task<string> ResolveAsync(string tool, ILogger logger, CancellationToken cancellationToken);
}
