using k8s;
using k8s.Autorest;
using k8s.Models;
using LgtmLab.AppHost.Tools;

namespace LgtmLab.AppHost.Kubernetes;

/// <summary>
/// The cause one pod shows, by the fields of core/v1 (kubernetes v1.36 staging/src/k8s.io/api/core/v1/types.go:
/// ContainerStatus state.waiting / lastState.terminated, PodCondition PodScheduled, Event reason/message) and the
/// reasons the kubelet and scheduler write there.
/// </summary>
internal static class PodDiagnosis
{
    private static readonly HashSet<string> ImagePullReasons = new(StringComparer.Ordinal) { "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull" };

    /// <summary>How many of a crashing container's last log lines go into the message.</summary>
    public const int LogLines = 10;

    public static async Task<WorkloadFinding?> FindAsync(IKubernetes client, V1Pod pod, IReadOnlyList<Corev1Event> events, CancellationToken cancellationToken)
    {
        var name = pod.Metadata.Name;
        var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []).ToList();
        foreach (var status in statuses)
        {
            if (status.State?.Waiting is { } waiting && ImagePullReasons.Contains(waiting.Reason ?? ""))
                return new(name, status.Name, WorkloadCause.ImagePull,
                    $"{waiting.Reason}: image \"{ImageOf(pod, status)}\" cannot be pulled{Said(waiting.Message)}");
        }
        foreach (var status in statuses)
        {
            var terminated = status.LastState?.Terminated ?? status.State?.Terminated;
            if (terminated?.Reason == "OOMKilled")
                return new(name, status.Name, WorkloadCause.OutOfMemory,
                    $"OOMKilled (exit code {terminated.ExitCode}, restarted {status.RestartCount} times): {MemoryLimit(pod, status.Name)}");
        }
        foreach (var status in statuses)
        {
            if (status.State?.Waiting is { Reason: "CrashLoopBackOff" })
            {
                var last = status.LastState?.Terminated;
                var exit = last is null ? "" : $", last exit code {last.ExitCode}{(string.IsNullOrEmpty(last.Reason) ? "" : $" ({last.Reason})")}";
                var log = await PreviousLogAsync(client, pod, status.Name, cancellationToken).ConfigureAwait(false);
                return new(name, status.Name, WorkloadCause.CrashLoop,
                    $"CrashLoopBackOff (restarted {status.RestartCount} times{exit}); {log}");
            }
        }
        if (pod.Status?.Phase == "Pending" && Unschedulable(pod, events) is { } schedulerMessage)
            return new(name, null, WorkloadCause.Unschedulable, $"Pending, not scheduled: {schedulerMessage}");
        var notReady = statuses.FirstOrDefault(s => s.State?.Running is not null && !s.Ready);
        if (notReady is not null && Latest(events.Where(e => e.Reason == "Unhealthy" && (e.Message ?? "").StartsWith("Readiness probe failed", StringComparison.Ordinal))) is { } unhealthy)
            return new(name, notReady.Name, WorkloadCause.ReadinessProbe, $"running but not ready: {unhealthy.Message!.Trim()}{Times(unhealthy)}");
        return null;
    }

    private static string Said(string? message) => string.IsNullOrWhiteSpace(message) ? "" : $" ({message.Trim()})";

    private static string ImageOf(V1Pod pod, V1ContainerStatus status) =>
        (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []).FirstOrDefault(c => c.Name == status.Name)?.Image
        ?? status.Image ?? "?";

    private static string MemoryLimit(V1Pod pod, string container)
    {
        var spec = (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []).FirstOrDefault(c => c.Name == container);
        return spec?.Resources?.Limits?.TryGetValue("memory", out var limit) == true
            ? $"it needs more than its memory limit of {limit}"
            : "it has no memory limit, so the node itself ran out of memory";
    }

    /// <summary>The PodScheduled=False condition's message, else the latest FailedScheduling event's.</summary>
    private static string? Unschedulable(V1Pod pod, IReadOnlyList<Corev1Event> events)
    {
        var condition = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
        if (!string.IsNullOrWhiteSpace(condition?.Message)) return condition.Message.Trim();
        var failed = Latest(events.Where(e => e.Reason == "FailedScheduling"));
        return failed?.Message?.Trim() ?? (condition is null ? null : condition.Reason ?? "Unschedulable");
    }

    private static Corev1Event? Latest(IEnumerable<Corev1Event> events) =>
        events.OrderBy(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata?.CreationTimestamp ?? DateTime.MinValue).LastOrDefault();

    private static string Times(Corev1Event e) => e.Count is > 1 ? $" ({e.Count} times)" : "";

    /// <summary>The previous (crashed) container's last lines: GET pods/{name}/log?container=&amp;previous=true&amp;tailLines=.</summary>
    private static async Task<string> PreviousLogAsync(IKubernetes client, V1Pod pod, string container, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, container: container,
                previous: true, tailLines: LogLines, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            var lines = (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false))
                .Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).TakeLast(LogLines).ToList();
            return lines.Count == 0 ? "its previous run logged nothing" : "last log lines: " + Redaction.Apply(string.Join(" | ", lines), []);
        }
        catch (HttpOperationException e)
        {
            return $"its previous log cannot be read ({(int?)e.Response?.StatusCode}: {e.Response?.Content?.Trim()})";
        }
    }
}
