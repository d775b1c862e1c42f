using k8s;

namespace LgtmLab.AppHost.Kubernetes;

/// <summary>A reason a workload's pods are not ready that waiting longer does not fix.</summary>
internal enum WorkloadCause
{
    /// <summary>ErrImagePull / ImagePullBackOff / InvalidImageName: the image cannot be pulled.</summary>
    ImagePull,
    /// <summary>CrashLoopBackOff: the container keeps exiting.</summary>
    CrashLoop,
    /// <summary>OOMKilled: the container was killed at its memory limit.</summary>
    OutOfMemory,
    /// <summary>Pending: the scheduler finds no node for the pod.</summary>
    Unschedulable,
    /// <summary>Running, but its readiness probe fails.</summary>
    ReadinessProbe,
}

/// <summary>One cause on one pod (and the other pods with the same one).</summary>
/// <param name="Pod">The first pod showing it.</param>
/// <param name="Container">The container it is about; null for the pod as a whole (not scheduled).</param>
/// <param name="Cause">Which of the causes waiting does not fix.</param>
/// <param name="MorePods">How many other pods show the same.</param>
/// <param name="Detail">What the cluster says, e.g. the image and the kubelet's message, the last log lines, the limit.</param>
internal sealed record WorkloadFinding(string Pod, string? Container, WorkloadCause Cause, string Detail, int MorePods = 0)
{
    /// <summary>"pod loki-0 (container loki): detail", with how many more pods show the same.</summary>
    public string Describe()
    {
        var where = Container is null ? $"pod {Pod}" : $"pod {Pod} (container {Container})";
        var more = MorePods > 0 ? $" (and {MorePods} more pod{(MorePods == 1 ? "" : "s")} the same)" : "";
        return $"{where}{more}: {Detail}";
    }

    /// <summary>What to change for this cause.</summary>
    public string Hint => Cause switch
    {
        WorkloadCause.ImagePull => "check the image name and tag (in the values files or manifest) and that Docker can reach its registry",
        WorkloadCause.CrashLoop => "the container exits at start: its last log lines above say why; fix its configuration",
        WorkloadCause.OutOfMemory => "raise the container's memory limit in the values files (or give Docker more memory)",
        WorkloadCause.Unschedulable => "the scheduler's message above says what no node has: give Docker more memory or CPU, or lower the requests",
        _ => "the container runs but its readiness probe fails: see the probe's output above and the container's log",
    };
}

/// <summary>
/// Why the workloads of a namespace are not ready, read from its pods and events when a wait has ended (helm's
/// <c>--wait</c> timed out, a Verify gave up): the failure message a user sees and the step's log carry it.
/// </summary>
/// <param name="Namespace">The namespace whose pods were read.</param>
/// <param name="Findings">One per distinct cause, first pod by name first.</param>
internal sealed record WorkloadDiagnosis(string Namespace, IReadOnlyList<WorkloadFinding> Findings)
{
    /// <summary>At most this many causes are named; the rest are counted.</summary>
    private const int MaxFindings = 3;

    /// <summary>"The pods of namespace x say why: pod a: ...; pod b: ...".</summary>
    public string Summary
    {
        get
        {
            var shown = string.Join("; ", Findings.Take(MaxFindings).Select(f => f.Describe()));
            var rest = Findings.Count > MaxFindings ? $"; and {Findings.Count - MaxFindings} more" : "";
            return $"The pods of namespace {Namespace} say why: {shown}{rest}";
        }
    }

    /// <summary>What to do, for each cause named.</summary>
    public string Hint => string.Join("; ", Findings.Take(MaxFindings).Select(f => f.Hint).Distinct(StringComparer.Ordinal));

    /// <summary>
    /// Reads the pods and events of <paramref name="namespace"/> (and the previous container's last log lines of a
    /// crashing one); null when no pod shows a cause that waiting does not fix.
    /// </summary>
    public static async Task<WorkloadDiagnosis?> ReadAsync(IKubernetes client, string @namespace, CancellationToken cancellationToken)
    {
        var pods = await client.CoreV1.ListNamespacedPodAsync(@namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var events = await client.CoreV1.ListNamespacedEventAsync(@namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var findings = new List<WorkloadFinding>();
        foreach (var pod in pods.Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var podEvents = events.Items.Where(e => e.InvolvedObject?.Kind == "Pod" && e.InvolvedObject.Name == pod.Metadata.Name).ToList();
            if (await PodDiagnosis.FindAsync(client, pod, podEvents, cancellationToken).ConfigureAwait(false) is { } finding)
                findings.Add(finding);
        }
        var merged = findings
            .GroupBy(f => (f.Cause, Detail: f.Detail.Replace(f.Pod, "", StringComparison.Ordinal)))
            .Select(g => g.First() with { MorePods = g.Count() - 1 })
            .ToList();
        return merged.Count == 0 ? null : new WorkloadDiagnosis(@namespace, merged);
    }
}
