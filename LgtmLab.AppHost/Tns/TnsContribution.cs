using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Workloads;

namespace LgtmLab.AppHost.Tns;

/// <summary>
/// TNS in every remote cluster (<c>Lab:Components:Tns</c>), as one project workload per remote: the image built
/// from LgtmLab.TnsSample (<c>lgtmlab/tns:&lt;source fingerprint&gt;</c>) and loaded into the nodes, then
/// lab-assets/manifests/tns/tns.yaml (namespace <c>tns</c>, meshed when Linkerd is on, db/app/loadgen sending OTLP
/// to the cluster's Alloy). One resource per remote, <c>&lt;remote&gt;-tns</c>, healthy while its Deployments are ready.
/// </summary>
/// <param name="source">Where the sample's source is; default: found from lab-assets or the AppHost.</param>
/// <param name="remotes">The remotes that run TNS (<c>WithTns</c>); default: every remote.</param>
internal sealed class TnsContribution(TnsSampleSource? source = null, IReadOnlySet<string>? remotes = null) : ILabPlanContribution
{
    public const string Component = "tns";
    public const string ManifestFile = "tns/tns.yaml";
    public const string ImageRepository = "lgtmlab/tns";

    /// <summary>Alloy's in-cluster OTLP gRPC receiver (the LGTM part's <c>alloy</c> release in <c>observability</c>).</summary>
    public static readonly string AlloyOtlpEndpoint = WorkloadContribution.AlloyOtlpEndpoint;

    public void AddTo(LabPlanBuilder plan)
    {
        if (plan.Topology.Components.Tns)
            new WorkloadContribution([.. Workloads(plan, source).Where(w => remotes is null || remotes.Contains(w.Cluster))]).AddTo(plan);
    }

    /// <summary>TNS as the project workload of each remote (whatever <c>Lab:Components:Tns</c> says).</summary>
    internal static IReadOnlyList<ProjectWorkload> Workloads(LabPlanBuilder plan, TnsSampleSource? source = null)
    {
        var project = (source ?? TnsSampleSource.Locate(plan.Lab.Assets)).Project;
        var baseImage = plan.Lab.Versions.Image("tnsBase");
        return [.. plan.Topology.Remotes.Select(remote => new ProjectWorkload(remote.Name, Component, project, ManifestFile)
        {
            Namespace = TnsWorkloads.Namespace,
            ImageRepository = ImageRepository,
            BaseImage = baseImage,
        })];
    }
}
