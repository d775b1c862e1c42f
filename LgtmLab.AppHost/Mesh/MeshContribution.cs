using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Pki;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;
using LgtmLab.AppHost.Tools;

namespace LgtmLab.AppHost.Mesh;

/// <summary>
/// Linkerd on every cluster (linkerd-crds, linkerd-control-plane with the lab's PKI, linkerd-viz,
/// linkerd-multicluster with its gateway on a MetalLB address) and the link from each remote to central, with
/// the link's probe and commands and the issuer's rotation. Adds nothing when <c>Lab:Components:Linkerd</c> is off.
/// </summary>
internal sealed class MeshContribution : ILabPlanContribution
{
    public void AddTo(LabPlanBuilder plan)
    {
        var lab = plan.Lab;
        if (!lab.Topology.Components.Linkerd) return;
        var pki = new LinkerdPki(lab.Topology.StateDirectory);
        var linkerd = new Linkerd(lab.Runner);
        var central = lab.Topology.Central;
        foreach (var cluster in lab.Topology.Clusters)
            AddLinkerd(plan, cluster, central, pki);
        foreach (var remote in lab.Topology.Remotes)
            AddLink(plan, remote, central, linkerd);
    }

    private static void AddLinkerd(LabPlanBuilder plan, ClusterSpec cluster, ClusterSpec central, LinkerdPki pki)
    {
        var lab = plan.Lab;
        HelmReleaseSpec Release(string release, string ns, string resource, params string[] dependsOn) =>
            new(cluster, release, release, ns, lab.Versions.Chart(release), [lab.Assets.HelmValues(release)])
            {
                ResourceName = StepIds.Resource(cluster.Name, resource),
                DependsOn = dependsOn,
            };

        var crds = Release("linkerd-crds", LinkerdNames.ControlPlaneNamespace, "linkerd", StepIds.Cluster(cluster.Name));
        var controlPlaneId = StepIds.Release(cluster.Name, "linkerd-control-plane");
        var controlPlane = Release("linkerd-control-plane", LinkerdNames.ControlPlaneNamespace, "linkerd", StepIds.Release(cluster.Name, "linkerd-crds"))
            with { WaitTimeout = TimeSpan.FromMinutes(10), GeneratedValues = [LinkerdGeneratedValues.Identity(lab, pki, cluster)] };
        var viz = Release("linkerd-viz", LinkerdNames.VizNamespace, "linkerd-viz", controlPlaneId);
        // The gateway's LoadBalancer Service needs MetalLB's pool for an address (helm --wait waits for it).
        string[] gatewayNeeds = plan.Steps.Any(s => s.Id == StepIds.MetalLbPool(cluster.Name)) ? [controlPlaneId, StepIds.MetalLbPool(cluster.Name)] : [controlPlaneId];
        var multicluster = Release("linkerd-multicluster", LinkerdNames.MulticlusterNamespace, "linkerd-multicluster", gatewayNeeds);
        if (cluster.Role == ClusterRole.Remote)
            multicluster = multicluster with { GeneratedValues = [LinkerdGeneratedValues.MulticlusterControllers(lab, cluster, central.Name)] };

        plan.AddStep(new HelmReleaseStep(crds, lab))
            .AddStep(new HelmReleaseStep(controlPlane, lab))
            .AddStep(new HelmReleaseStep(viz, lab))
            .AddStep(new HelmReleaseStep(multicluster, lab));

        // Read each time the resources are published, so a rotation or the 30-day mark shows while the AppHost runs.
        // The cluster itself warns too, where a user looks first.
        plan.AddLiveProperties(cluster.Name, () => MeshResources.IssuerProperties(pki, cluster.Name) is var issuer && issuer.TryGetValue("issuerWarning", out var warning)
            ? new Dictionary<string, string> { ["linkerdIssuerWarning"] = warning }
            : new Dictionary<string, string>());
        plan.AddResource(new LabResource(StepIds.Resource(cluster.Name, "linkerd"), cluster.Name, "Linkerd",
            MeshResources.Chart(lab, "linkerd-control-plane", LinkerdNames.ControlPlaneNamespace, null,
                ("values", "lab-assets/helm/linkerd-crds.yaml; lab-assets/helm/linkerd-control-plane.yaml + the cluster's identity (0600 file, deleted after install)"),
                ("trustAnchor", pki.TrustAnchorCertificatePath)))
        {
            Actions = [new IssuerRotation(cluster, controlPlaneId, pki).Action],
            Probe = _ => Task.FromResult(MeshResources.IssuerProbe(pki, cluster.Name)),
            LiveProperties = () => MeshResources.IssuerProperties(pki, cluster.Name),
        });
        plan.AddResource(new LabResource(StepIds.Resource(cluster.Name, "linkerd-viz"), cluster.Name, "HelmRelease",
            MeshResources.Chart(lab, "linkerd-viz", LinkerdNames.VizNamespace, null, ("values", "lab-assets/helm/linkerd-viz.yaml"))));
        plan.AddResource(new LabResource(StepIds.Resource(cluster.Name, "linkerd-multicluster"), cluster.Name, "HelmRelease",
            MeshResources.Chart(lab, "linkerd-multicluster", LinkerdNames.MulticlusterNamespace, null,
                ("values", cluster.Role == ClusterRole.Remote
                    ? $"lab-assets/helm/linkerd-multicluster.yaml + clusters/{cluster.Name}/helm/{LinkerdGeneratedValues.ControllersFileName} (controller of the link to {central.Name})"
                    : "lab-assets/helm/linkerd-multicluster.yaml"),
                ("gateway", $"LoadBalancer {LinkerdNames.MulticlusterNamespace}/{LinkerdNames.Gateway}, port {LinkerdNames.GatewayPort}, address from MetalLB"))));
    }

    private static void AddLink(LabPlanBuilder plan, ClusterSpec remote, ClusterSpec central, Linkerd linkerd)
    {
        var lab = plan.Lab;
        var health = new LinkHealth(remote, central, lab, linkerd);
        plan.AddStep(new LinkStep(remote, central, lab, linkerd))
            .AddResource(new LabResource(StepIds.Resource(remote.Name, "link"), remote.Name, "Link", new Dictionary<string, string>
            {
                ["target"] = central.Name,
                ["link"] = $"{LinkerdNames.MulticlusterNamespace}/{central.Name} ({LinkerdNames.LinkGroup}/{LinkerdNames.LinkVersion})",
                ["apiServer"] = $"https://<{central.Name} node address on the kind network>:{LinkerdNames.ApiServerPort}",
                ["mirrors"] = $"<service>-{central.Name}.<namespace> for central's services labelled mirror.linkerd.io/exported=true",
                ["health"] = "linkerd multicluster gateways (alive, latency) and the Link matching central",
            })
            {
                Actions = health.Actions,
                Probe = health.ProbeAsync,
            });
    }
}
