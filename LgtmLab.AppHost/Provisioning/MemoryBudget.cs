using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>
/// Docker memory the chosen components need (their requests and limits, plus the kind node itself).
/// Central + one remote with everything on comes to about 6 GiB.
/// </summary>
public static class MemoryBudget
{
    public const long MiB = 1024 * 1024;
    public const long KindNodeMiB = 768;        // kubelet, API server, etcd, CoreDNS, kindnet
    public const long MetalLbMiB = 64;          // controller + speaker
    public const long LinkerdMiB = 384;         // control plane, viz, multicluster, per cluster
    public const long LgtmCentralMiB = 2560;    // Mimir, Loki, Tempo, Grafana, ingress on central
    public const long AgentsMiB = 384;          // Prometheus + Alloy, per cluster
    public const long TnsMiB = 256;             // app, db, loadgen, per remote

    public static long RequiredBytes(LabTopology lab)
    {
        var clusters = lab.Clusters.Count;
        var remotes = clusters - 1;
        var c = lab.Components;
        var mib = clusters * KindNodeMiB
            + (c.MetalLb ? clusters * MetalLbMiB : 0)
            + (c.Linkerd ? clusters * LinkerdMiB : 0)
            + (c.Lgtm ? LgtmCentralMiB + clusters * AgentsMiB : 0)
            + (c.Tns ? remotes * TnsMiB : 0);
        return mib * MiB;
    }
}
