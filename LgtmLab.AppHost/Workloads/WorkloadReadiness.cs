using k8s;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Workloads;

/// <summary>A workload's live health: every Deployment, StatefulSet and DaemonSet of its namespaces rolled out and ready.</summary>
internal static class WorkloadReadiness
{
    public static async Task<LabProbeResult> ProbeAsync(IKubernetes client, IReadOnlyList<string> namespaces, CancellationToken cancellationToken)
    {
        var ready = new List<string>();
        var waiting = new List<string>();
        foreach (var ns in namespaces)
        {
            foreach (var d in (await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items)
            {
                var wanted = d.Spec?.Replicas ?? 1;
                Sort($"{ns}/{d.Metadata.Name}", d.Status?.ObservedGeneration >= d.Metadata.Generation
                    && (d.Status?.UpdatedReplicas ?? 0) >= wanted, d.Status?.ReadyReplicas ?? 0, wanted);
            }
            foreach (var s in (await client.AppsV1.ListNamespacedStatefulSetAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items)
            {
                var wanted = s.Spec?.Replicas ?? 1;
                Sort($"{ns}/{s.Metadata.Name}", s.Status?.ObservedGeneration >= s.Metadata.Generation
                    && (s.Status?.UpdatedReplicas ?? 0) >= wanted, s.Status?.ReadyReplicas ?? 0, wanted);
            }
            foreach (var d in (await client.AppsV1.ListNamespacedDaemonSetAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items)
            {
                var wanted = d.Status?.DesiredNumberScheduled ?? 0;
                Sort($"{ns}/{d.Metadata.Name}", d.Status?.ObservedGeneration >= d.Metadata.Generation
                    && (d.Status?.UpdatedNumberScheduled ?? 0) >= wanted, d.Status?.NumberReady ?? 0, wanted);
            }
        }
        var where = string.Join(", ", namespaces);
        if (waiting.Count > 0)
            return LabProbeResult.Fail($"not ready: {string.Join(", ", waiting)}; see `kubectl -n {namespaces[0]} get pods,events`");
        return ready.Count == 0
            ? LabProbeResult.Pass($"no Deployments, StatefulSets or DaemonSets in namespace {where}")
            : LabProbeResult.Pass($"{string.Join(", ", ready)} ready");

        void Sort(string name, bool current, int readyCount, int wanted)
        {
            if (current && readyCount >= wanted) ready.Add(name);
            else waiting.Add($"{name} ({readyCount}/{wanted} ready)");
        }
    }
}
