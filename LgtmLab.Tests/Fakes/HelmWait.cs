using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// `helm install|upgrade --wait --timeout D`: helm v4.1.4 pkg/kube/statuswait.go (the default "watcher" strategy)
/// watches the release's resources until each is Current or D has passed; then wait() returns errors.Join of one
/// "resource Kind/ns/name not ready. status: S, message: M" per resource that is not, and ctx.Err() ("context deadline
/// exceeded"). Status and message of a workload are kstatus's (fluxcd/cli-utils v0.37.2-flux.1, helm's go.mod,
/// pkg/kstatus/status/core.go deploymentConditions, stsConditions, daemonsetConditions); other kinds count as ready.
/// --timeout is a Go duration, default 300s (pkg/cmd/install.go, upgrade.go).
/// </summary>
internal static partial class HelmWait
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Null when every workload of <paramref name="manifest"/> became ready in time, else helm's error text.</summary>
    public static async Task<string?> WaitAsync(FakeCall call, FakeKubernetesApi api, string manifest, string? timeoutFlag)
    {
        var timeout = timeoutFlag is null ? TimeSpan.FromSeconds(300) : ParseGoDuration(timeoutFlag);
        var objects = manifest.Length == 0 ? [] : JsonYaml.ParseDocuments(manifest).OfType<JsonObject>().ToList();
        var until = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var notReady = objects.Select(o => NotReady(api, o)).OfType<string>().ToList();
            if (notReady.Count == 0) return null;
            if (DateTimeOffset.UtcNow >= until) return string.Join("\n", notReady.Append("context deadline exceeded"));
            await Task.Delay(PollInterval, call.Aborted);
        }
    }

    private static string? NotReady(FakeKubernetesApi api, JsonObject manifestObject)
    {
        var kind = (string?)manifestObject["kind"] ?? "";
        if (kind is not ("Deployment" or "StatefulSet" or "DaemonSet")) return null;
        var ns = (string?)manifestObject["metadata"]?["namespace"] ?? "default";
        var name = (string?)manifestObject["metadata"]?["name"] ?? "";
        var stored = api.Get((string?)manifestObject["apiVersion"] ?? "apps/v1", kind, ns, name);
        var message = stored is null ? "Resource not found" : InProgressMessage(kind, stored);
        if (message is null) return null;
        var status = stored is null ? "NotFound" : "InProgress";
        return $"resource {kind}/{ns}/{name} not ready. status: {status}, message: {message}";
    }

    private static long Field(JsonObject obj, string section, string field, long fallback) => obj[section]?[field].AsLong() ?? fallback;

    private static string? InProgressMessage(string kind, JsonObject obj)
    {
        var specReplicas = Field(obj, "spec", "replicas", 1);
        switch (kind)
        {
            case "Deployment":
            {
                var replicas = Field(obj, "status", "replicas", 0);
                var updated = Field(obj, "status", "updatedReplicas", 0);
                var ready = Field(obj, "status", "readyReplicas", 0);
                var available = Field(obj, "status", "availableReplicas", 0);
                if (specReplicas > replicas) return $"Replicas: {replicas}/{specReplicas}";
                if (specReplicas > updated) return $"Updated: {updated}/{specReplicas}";
                if (replicas > specReplicas) return $"Pending termination: {replicas - specReplicas}";
                if (updated > available) return $"Available: {available}/{updated}";
                if (specReplicas > ready) return $"Ready: {ready}/{specReplicas}";
                return null;
            }
            case "StatefulSet":
            {
                var replicas = Field(obj, "status", "replicas", 0);
                var ready = Field(obj, "status", "readyReplicas", 0);
                if (specReplicas > replicas) return $"Replicas: {replicas}/{specReplicas}";
                if (specReplicas > ready) return $"Ready: {ready}/{specReplicas}";
                if (replicas > specReplicas) return $"Pending termination: {replicas - specReplicas}";
                return null;
            }
            default:
            {
                var desired = Field(obj, "status", "desiredNumberScheduled", -1);
                if (desired == -1) return "Missing .status.desiredNumberScheduled";
                var current = Field(obj, "status", "currentNumberScheduled", 0);
                var updated = Field(obj, "status", "updatedNumberScheduled", 0);
                var available = Field(obj, "status", "numberAvailable", 0);
                var ready = Field(obj, "status", "numberReady", 0);
                if (desired > current) return $"Current: {current}/{desired}";
                if (desired > updated) return $"Updated: {updated}/{desired}";
                if (desired > available) return $"Available: {available}/{desired}";
                if (desired > ready) return $"Ready: {ready}/{desired}";
                return null;
            }
        }
    }

    [GeneratedRegex(@"(?<n>\d+(\.\d+)?)(?<unit>h|ms|m|s)")]
    private static partial Regex GoDurationPart();

    /// <summary>Go's time.ParseDuration for what the lab passes ("5m", "90s", "1m30s").</summary>
    public static TimeSpan ParseGoDuration(string text)
    {
        var total = TimeSpan.Zero;
        foreach (Match m in GoDurationPart().Matches(text))
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += m.Groups["unit"].Value switch
            {
                "h" => TimeSpan.FromHours(n), "m" => TimeSpan.FromMinutes(n), "s" => TimeSpan.FromSeconds(n), _ => TimeSpan.FromMilliseconds(n),
            };
        }
        return total;
    }
}
