using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>
/// The API server's service proxy, <c>/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}</c>, as the
/// lab's readiness probes use it: 404 when the Service is missing, 503 "no endpoints available" when it has no
/// such port or its workloads are held not ready, else the answer a test set for it, else 200 "ready".
/// </summary>
internal sealed partial class FakeKubernetesApi
{
    private readonly Dictionary<(string Namespace, string Service), (int Status, string Body)> _proxyAnswers = [];

    [GeneratedRegex("^/api/v1/namespaces/(?<ns>[^/]+)/services/(?<svc>[^/:]+)(?::(?<port>[^/]+))?/proxy(?<path>/.*)?$")]
    private static partial Regex ServiceProxyPath();

    /// <summary>What the service proxy answers for every path of a Service (e.g. 503 "Ingester not ready").</summary>
    public void SetServiceProxyAnswer(string ns, string service, int status, string body)
    {
        lock (_gate) _proxyAnswers[(ns, service)] = (status, body);
    }

    public void ClearServiceProxyAnswer(string ns, string service)
    {
        lock (_gate) _proxyAnswers.Remove((ns, service));
    }

    /// <summary>The proxied answer (status, content type, body), or null when <paramref name="path"/> is no service proxy path.</summary>
    private (int Status, string ContentType, string Body)? ServiceProxy(string method, string path)
    {
        var match = ServiceProxyPath().Match(Uri.UnescapeDataString(path));
        if (!match.Success) return null;
        var ns = match.Groups["ns"].Value;
        var name = match.Groups["svc"].Value;
        var port = match.Groups["port"].Value;
        lock (_gate)
        {
            var answer = Answer();
            _requests.Add(new FakeApiRequest(DateTimeOffset.UtcNow, method, path, "", answer.Status, "http"));
            return answer;
        }

        (int Status, string ContentType, string Body) Answer()
        {
            if (_store.Get(KeyOf(ResourceTypes.Service, ns, name)) is not { } service)
                return Status(ApiResult.NotFound(ResourceTypes.Service, name));
            var ports = service["spec"]?["ports"] as JsonArray ?? [];
            var hasPort = port.Length == 0 || ports.Any(p => (string?)p?["name"] == port || p?["port"]?.ToString() == port);
            if (!hasPort || !_lifecycle.WorkloadsReady)
                return Status(ApiResult.Failure(503, "ServiceUnavailable", $"no endpoints available for service \"{name}{(port.Length > 0 ? ":" + port : "")}\""));
            if (_proxyAnswers.TryGetValue((ns, name), out var set))
                return (set.Status, "text/plain", set.Body);
            return (200, "text/plain", "ready");
        }

        static (int Status, string ContentType, string Body) Status(ApiResult result) => (result.StatusCode, "application/json", JsonYaml.ToJson(result.Body));
    }
}
