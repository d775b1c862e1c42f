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
/// Each is lab-assets/manifests/namespace.yaml rendered for it.
/// </summary>
internal sealed class NamespacesStep(ClusterSpec cluster, IReadOnlyList<string> namespaces, IReadOnlySet<string> meshed, IReadOnlyList<string> dependsOn, LabServices lab) : Step
{
    public const string InjectAnnotation = "linkerd.io/inject";
    public const string FileName = "lgtm-namespaces.yaml";

    /// <summary>The template, in lab-assets/manifests.</summary>
    public const string TemplateName = "namespace.yaml";

    private readonly Lazy<string> _manifest = new(() => Render(lab.Assets, namespaces, meshed));

    public override string Id => StepIds.Namespaces(cluster.Name);
    public override string ResourceName => StepIds.Resource(cluster.Name, "namespaces");
    public override IReadOnlyList<string> DependsOn => dependsOn;
    public override string? StateCluster => cluster.Name;
    public override string Fingerprint => Provisioning.Fingerprint.Of(("manifest", Manifest));

    public IReadOnlyList<string> Namespaces => namespaces;
    public bool IsMeshed(string name) => meshed.Contains(name);

    /// <summary>The Namespace objects, as the YAML kubectl applies (<see cref="Render"/>).</summary>
    public string Manifest => _manifest.Value;

    /// <summary>lab-assets/manifests/namespace.yaml once per namespace, each after a <c>---</c>.</summary>
    internal static string Render(LabAssets assets, IReadOnlyList<string> namespaces, IReadOnlySet<string> meshed)
    {
        var template = assets.Manifest(TemplateName);
        return string.Concat(namespaces.Select(name =>
            "---\n" + LabTemplate.RenderFile(template, new TemplateValues().Set("name", name).If("meshed", meshed.Contains(name)))));
    }

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
