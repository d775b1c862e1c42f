using k8s;
using k8s.Autorest;
using k8s.Models;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;

namespace LgtmLab.AppHost.Lgtm;

/// <summary>
/// The observability namespaces of one cluster (<see cref="ObservabilityNamespaces.For"/>), annotated
/// <c>linkerd.io/inject: enabled</c> where the lab meshes them when Linkerd is on: central's Mimir, Loki and
/// Tempo namespaces; on a remote every one (its agents write through the mirrors, which only take mTLS clients).
/// </summary>
public sealed class NamespacesStep(ClusterSpec cluster, IReadOnlyList<string> namespaces, IReadOnlySet<string> meshed, IReadOnlyList<string> dependsOn, LabServices lab) : Step
{
    public const string InjectAnnotation = "linkerd.io/inject";
    public const string FileName = "lgtm-namespaces.yaml";

    public override string Id => StepIds.Namespaces(cluster.Name);
    public override string ResourceName => StepIds.Resource(cluster.Name, "namespaces");
    public override IReadOnlyList<string> DependsOn => dependsOn;
    public override string? StateCluster => cluster.Name;
    public override string Fingerprint => Provisioning.Fingerprint.Of(("manifest", Manifest));

    public IReadOnlyList<string> Namespaces => namespaces;
    public bool IsMeshed(string name) => meshed.Contains(name);

    /// <summary>The Namespace objects, as the YAML kubectl applies.</summary>
    public string Manifest => string.Concat(namespaces.Select(name =>
        $"---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels:\n    app.kubernetes.io/part-of: lgtmlab\n"
        + (IsMeshed(name) ? $"  annotations:\n    {InjectAnnotation}: enabled\n" : "")));

    public override async Task<bool> CheckAsync(StepContext context)
    {
        var client = lab.Kubernetes.For(cluster.KubeContext);
        foreach (var name in namespaces)
        {
            V1Namespace current;
            try
            {
                current = await client.CoreV1.ReadNamespaceAsync(name, cancellationToken: context.CancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.IsNotFound())
            {
                return false;
            }
            string? inject = null;
            current.Metadata.Annotations?.TryGetValue(InjectAnnotation, out inject);
            if (IsMeshed(name) ? inject != "enabled" : inject is not null)
                return false;
        }
        return true;
    }

    public override async Task ApplyAsync(StepContext context)
    {
        var file = await ManifestFiles.WriteAsync(lab, cluster.Name, FileName, Manifest, context.CancellationToken).ConfigureAwait(false);
        await lab.Kubectl.ApplyAsync(cluster.KubeContext, file, context.Logger, context.CancellationToken).ConfigureAwait(false);
    }

    public override string? HintFor(Exception failure) =>
        $"see the namespaces with `kubectl --context {cluster.KubeContext} get namespaces --show-labels`, then use Retry on {cluster.Name}";
}
