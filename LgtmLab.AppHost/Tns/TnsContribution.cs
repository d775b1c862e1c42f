using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;

namespace LgtmLab.AppHost.Tns;

/// <summary>
/// TNS in every remote cluster (<c>Lab:Components:Tns</c>): the image built from LgtmLab.TnsSample and loaded
/// into the nodes, then lab-assets/manifests/tns/tns.yaml (namespace <c>tns</c>, meshed when Linkerd is on,
/// db/app/loadgen sending OTLP to the cluster's Alloy). One resource per remote, <c>&lt;remote&gt;-tns</c>,
/// healthy while the three Deployments are ready.
/// </summary>
/// <param name="source">Where the sample's source is; default: found from lab-assets or the AppHost.</param>
public sealed class TnsContribution(TnsSampleSource? source = null) : ILabPlanContribution
{
    public const string Component = "tns";
    public const string ManifestFile = "tns/tns.yaml";

    /// <summary>Alloy's in-cluster OTLP gRPC receiver (the LGTM part's <c>alloy</c> release in <c>observability</c>).</summary>
    public static readonly string AlloyOtlpEndpoint =
        $"http://alloy.{ObservabilityNamespaces.Observability}.svc.cluster.local:{AlloyConfig.OtlpGrpcPort}";

    public void AddTo(LabPlanBuilder plan)
    {
        var components = plan.Topology.Components;
        if (!components.Tns) return;
        var lab = plan.Lab;
        var image = new TnsImage(source ?? TnsSampleSource.Locate(lab.Assets), lab.Versions.Image("tnsBase"), lab.Topology.StateDirectory);
        foreach (var remote in plan.Topology.Remotes)
        {
            var manifest = new ManifestSpec(remote, Component, lab.Assets.Manifest(ManifestFile), new Dictionary<string, string>
            {
                ["image"] = image.Reference,
                ["inject"] = components.Linkerd ? "enabled" : "disabled",
                ["otlpEndpoint"] = components.Lgtm ? AlloyOtlpEndpoint : "",
            })
            {
                DependsOn = [StepIds.TnsImage(remote.Name), .. EarlierSteps(plan, remote)],
            };
            var kubernetes = lab.Kubernetes;
            plan.AddStep(new TnsImageStep(remote, image, lab))
                .AddStep(new ManifestStep(manifest, lab))
                .AddResource(new LabResource(StepIds.Resource(remote.Name, Component), remote.Name, "Workload", new Dictionary<string, string>
                {
                    ["namespace"] = TnsWorkloads.Namespace,
                    ["deployments"] = string.Join(", ", TnsWorkloads.Deployments),
                    ["image"] = image.Reference,
                    ["baseImage"] = image.Build.BaseImage,
                    ["manifest"] = "lab-assets/manifests/" + ManifestFile,
                    ["otlp"] = components.Lgtm ? AlloyOtlpEndpoint : "(LGTM off: none)",
                })
                {
                    Probe = token => TnsWorkloads.ProbeAsync(kubernetes.For(remote.KubeContext), token),
                });
        }
    }

    /// <summary>Alloy (to send OTLP to) and Linkerd's control plane (to inject the proxies), when the plan has them.</summary>
    private static IEnumerable<string> EarlierSteps(LabPlanBuilder plan, ClusterSpec remote) =>
        new[] { StepIds.Release(remote.Name, "alloy"), StepIds.Release(remote.Name, "linkerd-control-plane") }
            .Where(id => plan.Steps.Any(s => s.Id == id));
}
