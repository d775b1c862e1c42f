using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>
/// Pods that never become ready, as the workload controllers, kubelet and scheduler leave them: a test names a
/// namespace and a <see cref="FakePodFault"/>; every Deployment, StatefulSet and DaemonSet written there afterwards
/// reports zero ready replicas and gets one pod with the fault's status, events and previous log. The pod log
/// endpoint (<c>GET /api/v1/namespaces/{ns}/pods/{name}/log</c>, query parameters of core/v1 PodLogOptions:
/// container, previous, tailLines) serves the logs.
/// </summary>
internal sealed partial class FakeKubernetesApi
{
    private readonly Dictionary<string, FakePodFault> _podFaults = [];
    private readonly Dictionary<(string Namespace, string Pod, string Container, bool Previous), string> _containerLogs = [];

    [GeneratedRegex("^/api/v1/namespaces/(?<ns>[^/]+)/pods/(?<pod>[^/]+)/log$")]
    private static partial Regex PodLogPath();

    /// <summary>From now on, the workloads written in <paramref name="ns"/> never become ready, for <paramref name="fault"/>.</summary>
    public void BreakPods(string ns, FakePodFault fault)
    {
        lock (_gate)
        {
            _podFaults[ns] = fault;
            _lifecycle.HeldNamespaces.Add(ns);
        }
    }

    /// <summary>What the log endpoint serves for a container (its current run, or with <paramref name="previous"/> the one before).</summary>
    public void SetContainerLog(string ns, string pod, string container, bool previous, string text)
    {
        lock (_gate) _containerLogs[(ns, pod, container, previous)] = text;
    }

    private void AddFaultyPod(ResourceType type, JsonObject workload)
    {
        var ns = (string?)workload["metadata"]?["namespace"] ?? "";
        if (!_podFaults.TryGetValue(ns, out var fault) || workload["spec"]?["template"]?["spec"] is not JsonObject podSpec) return;
        var name = (string)workload["metadata"]!["name"]!;
        var existing = _store.List("", "pods", ns).Any(p => p["metadata"]?["ownerReferences"]?[0]?["name"]?.ToString() == name);
        if (existing) return;
        var podName = type.Kind switch
        {
            "StatefulSet" => $"{name}-0",
            "DaemonSet" => $"{name}-{Suffix(5)}",
            _ => $"{name}-{Suffix(10)}-{Suffix(5)}",
        };
        var (pod, events, previousLog) = fault.Render(ns, podName, Options.Nodes.FirstOrDefault()?.Name ?? "node", podSpec);
        pod["metadata"]!["labels"] = workload["spec"]?["template"]?["metadata"]?["labels"]?.DeepClone();
        pod["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = type.Kind == "Deployment" ? "apps/v1" : type.ApiVersion, ["kind"] = type.Kind == "Deployment" ? "ReplicaSet" : type.Kind,
            ["name"] = name, ["uid"] = (string?)workload["metadata"]?["uid"], ["controller"] = true, ["blockOwnerDeletion"] = true,
        });
        var podType = ResourceTypes.BuiltIn.First(t => t.Kind == "Pod");
        _store.Put(KeyOf(podType, ns, podName), _lifecycle.Prepare(podType, pod, null, ns, podName, acceptStatus: true));
        var eventType = ResourceTypes.BuiltIn.First(t => t.Kind == "Event");
        foreach (var e in events)
            _store.Put(KeyOf(eventType, ns, (string)e["metadata"]!["name"]!), _lifecycle.Prepare(eventType, e, null, ns, (string)e["metadata"]!["name"]!, acceptStatus: true));
        var container = (string)pod["spec"]!["containers"]![0]!["name"]!;
        if (previousLog is not null) _containerLogs[(ns, podName, container, true)] = previousLog;
    }

    private static string Suffix(int length) => Guid.NewGuid().ToString("N")[..length];

    /// <summary>
    /// The pod log endpoint, as the API server (pkg/registry/core/pod/strategy.go LogLocation: the container must be
    /// named when the pod has several, and be one of them) and the kubelet (pkg/kubelet/kubelet_pods.go
    /// validateContainerLogStatus: previous=true needs a terminated last state) answer it; null when the path is not it.
    /// </summary>
    private (int Status, string ContentType, string Body)? PodLog(string method, string path, IQueryCollection query)
    {
        var match = PodLogPath().Match(path);
        if (!match.Success || method != "GET") return null;
        var ns = match.Groups["ns"].Value;
        var name = match.Groups["pod"].Value;
        lock (_gate)
        {
            var answer = Answer();
            _requests.Add(new FakeApiRequest(DateTimeOffset.UtcNow, method, path, string.Join('&', query.Select(q => $"{q.Key}={q.Value}")), answer.Status, "http"));
            return answer;
        }

        (int Status, string ContentType, string Body) Answer()
        {
            var podType = ResourceTypes.BuiltIn.First(t => t.Kind == "Pod");
            if (_store.Get(KeyOf(podType, ns, name)) is not { } pod) return Json(ApiResult.NotFound(podType, name));
            var names = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => (string?)c?["name"] ?? "").ToList();
            var container = (string?)query["container"] ?? "";
            if (container.Length == 0)
            {
                if (names.Count != 1)
                    return Json(ApiResult.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', names)}]"));
                container = names[0];
            }
            if (!names.Contains(container)) return Json(ApiResult.BadRequest($"container {container} is not valid for pod {name}"));
            var status = (pod["status"]?["containerStatuses"] as JsonArray ?? []).FirstOrDefault(s => (string?)s?["name"] == container);
            var previous = (string?)query["previous"] is "true" or "1";
            if (previous && status?["lastState"]?["terminated"] is null)
                return Json(ApiResult.BadRequest($"previous terminated container \"{container}\" in pod \"{name}\" not found"));
            if (!previous && status?["state"]?["waiting"] is { } waiting && status["lastState"]?["terminated"] is null)
                return Json(ApiResult.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: {waiting["reason"]}"));
            var text = _containerLogs.GetValueOrDefault((ns, name, container, previous), "");
            if (int.TryParse(query["tailLines"], System.Globalization.CultureInfo.InvariantCulture, out var tail) && tail >= 0)
            {
                var lines = text.Split('\n');
                if (lines.Length > 0 && lines[^1].Length == 0) lines = lines[..^1];
                text = string.Concat(lines.TakeLast(tail).Select(l => l + "\n"));
            }
            return (200, "text/plain", text);
        }

        static (int Status, string ContentType, string Body) Json(ApiResult result) => (result.StatusCode, "application/json", JsonYaml.ToJson(result.Body));
    }
}
