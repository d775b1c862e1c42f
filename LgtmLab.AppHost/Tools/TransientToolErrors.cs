namespace LgtmLab.AppHost.Tools;

/// <summary>
/// Which tool failures are worth retrying: the cluster is still starting, a webhook is not ready yet, another
/// Helm operation holds the release lock, an image is still being pulled. Everything else fails at once.
/// </summary>
internal static class TransientToolErrors
{
    private static readonly string[] Patterns =
    [
        "connection refused",
        "was refused", // kubectl: "The connection to the server 127.0.0.1:port was refused"
        "connection reset by peer",
        "the server is currently unable to handle the request",
        "unable to connect to the server",
        "tls handshake timeout",
        "i/o timeout",
        "context deadline exceeded",
        "etcdserver: request timed out",
        "etcdserver: leader changed",
        "failed calling webhook",
        "no endpoints available for service",
        "another operation (install/upgrade/rollback) is in progress",
        "the object has been modified",
        "timed out waiting for the condition",
        "internal error occurred",
        "too many requests",
        "http2: client connection lost",
        "net/http: request canceled",
        "imagepullbackoff",
        "errimagepull",
        "error response from daemon: conflict",
        "temporary failure in name resolution",
        "is not running", // docker exec into a node that is restarting
    ];

    public static bool IsTransient(ToolResult result) =>
        result.StandardError.Concat(result.StandardOutput)
            .Any(line => Patterns.Any(p => line.Contains(p, StringComparison.OrdinalIgnoreCase)));
}
