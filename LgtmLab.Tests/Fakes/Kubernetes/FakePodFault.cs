using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>
/// Why a workload's pod never becomes ready, as the kubelet and the scheduler record it in the pod's status and in
/// events. Field names: kubernetes v1.36 staging/src/k8s.io/api/core/v1/types.go (k8s.io/api v0.36.3: PodStatus,
/// ContainerStatus state/lastState, ContainerStateWaiting, ContainerStateTerminated, PodCondition, Event). Reasons and
/// messages as the components write them:
/// - image pulls: pkg/kubelet/images/image_manager.go ("Failed to pull image %q: ...", "Back-off pulling image %q"),
///   waiting reasons ErrImagePull / ImagePullBackOff (pkg/kubelet/images/types.go);
/// - crashes: pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff ("back-off %s restarting failed container=%s
///   pod=%s", event BackOff "Back-off restarting failed container %s in pod %s"), waiting reason CrashLoopBackOff;
///   an out-of-memory kill is lastState.terminated reason OOMKilled, exit code 137 (128 + SIGKILL);
/// - scheduling: pkg/scheduler/schedule_one.go (PodScheduled=False, reason Unschedulable, event FailedScheduling from
///   default-scheduler, "0/N nodes are available: ...");
/// - probes: pkg/kubelet/prober/prober.go (event Unhealthy, "Readiness probe failed: %s").
/// </summary>
internal abstract record FakePodFault
{
    /// <summary>The image cannot be pulled: ImagePullBackOff, with the pull error as a Failed event.</summary>
    public sealed record ImagePullBackOff(string PullError = "rpc error: code = NotFound desc = failed to pull and unpack image: not found") : FakePodFault;

    /// <summary>The container exits with <paramref name="ExitCode"/> each start, having logged <paramref name="LastLog"/>.</summary>
    public sealed record CrashLoopBackOff(int ExitCode, string LastLog) : FakePodFault;

    /// <summary>The container is killed at its memory limit (which the fault sets on the pod's container).</summary>
    public sealed record OomKilled(string MemoryLimit) : FakePodFault;

    /// <summary>No node fits the pod; <paramref name="SchedulerMessage"/> is what the scheduler says.</summary>
    public sealed record Unschedulable(string SchedulerMessage) : FakePodFault;

    /// <summary>The container runs but its readiness probe fails with <paramref name="ProbeOutput"/>.</summary>
    public sealed record ReadinessProbeFails(string ProbeOutput) : FakePodFault;

    /// <summary>The pod (with status), its events and its previous container's log, for a pod of a workload.</summary>
    internal (JsonObject Pod, IReadOnlyList<JsonObject> Events, string? PreviousLog) Render(string ns, string podName, string node, JsonObject podSpec)
    {
        var spec = (JsonObject)podSpec.DeepClone();
        var container = spec["containers"]?[0] as JsonObject ?? throw new InvalidOperationException("the workload's pod template has no container");
        var containerName = (string?)container["name"] ?? "main";
        var image = (string?)container["image"] ?? "";
        var uid = Guid.NewGuid().ToString();
        var now = ObjectLifecycle.Now();
        var events = new List<JsonObject>();
        JsonObject Event(string type, string reason, string message, string component, int count = 1, bool forContainer = true)
        {
            var involved = new JsonObject { ["kind"] = "Pod", ["namespace"] = ns, ["name"] = podName, ["uid"] = uid, ["apiVersion"] = "v1" };
            if (forContainer) involved["fieldPath"] = $"spec.containers{{{containerName}}}";
            var e = new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = $"{podName}.{Guid.NewGuid():N}"[..(podName.Length + 17)], ["namespace"] = ns },
                ["involvedObject"] = involved, ["reason"] = reason, ["message"] = message,
                ["source"] = component == "kubelet" ? new JsonObject { ["component"] = "kubelet", ["host"] = node } : new JsonObject { ["component"] = component },
                ["firstTimestamp"] = now, ["lastTimestamp"] = now, ["count"] = count, ["type"] = type,
                ["reportingComponent"] = component, ["reportingInstance"] = component == "kubelet" ? node : "",
            };
            events.Add(e);
            return e;
        }
        JsonObject Condition(string type, string status, string? reason = null, string? message = null)
        {
            var c = new JsonObject { ["type"] = type, ["status"] = status, ["lastProbeTime"] = null, ["lastTransitionTime"] = now };
            if (reason is not null) c["reason"] = reason;
            if (message is not null) c["message"] = message;
            return c;
        }
        JsonObject Status(JsonObject state, JsonObject? lastState, int restarts, bool ready = false) => new()
        {
            ["name"] = containerName, ["state"] = state, ["lastState"] = lastState ?? new JsonObject(), ["ready"] = ready,
            ["restartCount"] = restarts, ["image"] = image, ["imageID"] = "", ["started"] = state["running"] is not null,
        };
        JsonObject Waiting(string reason, string message) => new() { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message } };
        JsonObject Terminated(int exitCode, string reason) => new()
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = exitCode, ["reason"] = reason, ["startedAt"] = now, ["finishedAt"] = now,
                ["containerID"] = $"containerd://{Guid.NewGuid():N}",
            },
        };
        var backOff = $"back-off 40s restarting failed container={containerName} pod={podName}_{ns}({uid})";
        var scheduled = new[] { Condition("PodReadyToStartContainers", "True"), Condition("Initialized", "True"),
            Condition("Ready", "False", "ContainersNotReady", $"containers with unready status: [{containerName}]"),
            Condition("ContainersReady", "False", "ContainersNotReady", $"containers with unready status: [{containerName}]"),
            Condition("PodScheduled", "True") };
        JsonObject status;
        string? previousLog = null;
        switch (this)
        {
            case ImagePullBackOff pull:
                Event("Normal", "Pulling", $"Pulling image \"{image}\"", "kubelet", 4);
                Event("Warning", "Failed", $"Failed to pull image \"{image}\": {pull.PullError}", "kubelet", 4);
                Event("Warning", "Failed", "Error: ErrImagePull", "kubelet", 4);
                Event("Normal", "BackOff", $"Back-off pulling image \"{image}\"", "kubelet", 12);
                Event("Warning", "Failed", "Error: ImagePullBackOff", "kubelet", 12);
                status = new JsonObject { ["phase"] = "Pending", ["conditions"] = Array(scheduled),
                    ["containerStatuses"] = new JsonArray(Status(Waiting("ImagePullBackOff", $"Back-off pulling image \"{image}\": ErrImagePull: {pull.PullError}"), null, 0)) };
                break;
            case CrashLoopBackOff crash:
                Event("Warning", "BackOff", $"Back-off restarting failed container {containerName} in pod {podName}_{ns}({uid})", "kubelet", 9);
                status = new JsonObject { ["phase"] = "Running", ["conditions"] = Array(scheduled),
                    ["containerStatuses"] = new JsonArray(Status(Waiting("CrashLoopBackOff", backOff), Terminated(crash.ExitCode, "Error"), 4)) };
                previousLog = crash.LastLog;
                break;
            case OomKilled oom:
                container["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = oom.MemoryLimit }, ["requests"] = new JsonObject { ["memory"] = oom.MemoryLimit } };
                Event("Warning", "BackOff", $"Back-off restarting failed container {containerName} in pod {podName}_{ns}({uid})", "kubelet", 9);
                status = new JsonObject { ["phase"] = "Running", ["conditions"] = Array(scheduled),
                    ["containerStatuses"] = new JsonArray(Status(Waiting("CrashLoopBackOff", backOff), Terminated(137, "OOMKilled"), 4)) };
                previousLog = "";
                break;
            case Unschedulable unschedulable:
                Event("Warning", "FailedScheduling", unschedulable.SchedulerMessage, "default-scheduler", 3, forContainer: false);
                status = new JsonObject { ["phase"] = "Pending",
                    ["conditions"] = new JsonArray(Condition("PodScheduled", "False", "Unschedulable", unschedulable.SchedulerMessage)) };
                break;
            case ReadinessProbeFails probe:
                Event("Warning", "Unhealthy", $"Readiness probe failed: {probe.ProbeOutput}", "kubelet", 30);
                status = new JsonObject { ["phase"] = "Running", ["conditions"] = Array(scheduled),
                    ["containerStatuses"] = new JsonArray(Status(new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } }, null, 0)) };
                break;
            default: throw new InvalidOperationException($"unknown fault {this}");
        }
        if (this is not Unschedulable) spec["nodeName"] = node;
        spec["schedulerName"] ??= "default-scheduler";
        status["qosClass"] = this is OomKilled ? "Guaranteed" : "BestEffort";
        status["startTime"] = now;
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = podName, ["namespace"] = ns, ["uid"] = uid },
            ["spec"] = spec, ["status"] = status,
        };
        return (pod, events, previousLog);
    }

    private static JsonArray Array(IEnumerable<JsonObject> items) => new([.. items.Select(i => (JsonNode)i)]);
}
