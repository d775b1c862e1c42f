using k8s;
using k8s.Autorest;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.AppHost.Workloads;

/// <summary>
/// Every <c>*.yaml</c> of a user's folder, in file-name order, server-side applied as one file (like
/// <see cref="ManifestStep"/>, but as written: no placeholders, any kind). Done when the recorded content is the
/// current one and every object of a kind the lab can read (namespaces, config, services, workloads) exists.
/// </summary>
internal sealed class ManifestFolderStep(ClusterSpec cluster, ManifestsWorkload workload, IReadOnlyList<string> dependsOn, LabServices lab) : Step
{
    private readonly Lazy<string> _content = new(() => Read(workload.Directory));

    public override string Id => $"{cluster.Name}/{workload.Name}";
    public override string ResourceName => workload.ResourceName;
    public override IReadOnlyList<string> DependsOn => dependsOn;
    public override string? StateCluster => cluster.Name;
    public override TimeSpan Timeout => TimeSpan.FromMinutes(3);
    public override string Fingerprint => Provisioning.Fingerprint.Of(("manifest", _content.Value));

    /// <summary>The folder's files joined into one multi-document YAML stream.</summary>
    public string Content => _content.Value;

    public override async Task<bool> CheckAsync(StepContext context)
    {
        var client = lab.Kubernetes.For(cluster.KubeContext);
        foreach (var (apiVersion, kind, ns, name) in Objects(Content))
            if (!await ExistsAsync(client, apiVersion, kind, ns ?? "default", name, context.CancellationToken).ConfigureAwait(false))
                return false;
        return true;
    }

    public override async Task ApplyAsync(StepContext context)
    {
        var file = await ManifestFiles.WriteAsync(lab, cluster.Name, workload.Name + ".yaml", Content, context.CancellationToken).ConfigureAwait(false);
        await lab.Kubectl.ApplyAsync(cluster.KubeContext, file, context.Logger, context.CancellationToken).ConfigureAwait(false);
    }

    public override string? HintFor(Exception failure) =>
        $"check the manifests in {workload.Directory} (`kubectl --context {cluster.KubeContext} apply --server-side --dry-run=server -f {workload.Directory}`), then use Retry on {ResourceName}";

    private static string Read(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new StepFailedException($"the manifests folder {directory} does not exist",
                "fix the folder given to the lab (an absolute path), then restart the AppHost");
        var files = System.IO.Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new StepFailedException($"the manifests folder {directory} has no *.yaml file",
                $"put the manifests into {directory} as .yaml files, then use Retry");
        return string.Join("---\n", files.Select(f => File.ReadAllText(f).TrimEnd('\n') + "\n"));
    }

    /// <summary>apiVersion, kind, namespace and name of every document.</summary>
    internal static IEnumerable<(string ApiVersion, string Kind, string? Namespace, string Name)> Objects(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root) continue;
            var metadata = root.Children.TryGetValue("metadata", out var m) ? m as YamlMappingNode : null;
            yield return (Scalar(root, "apiVersion") ?? "", Scalar(root, "kind") ?? "", metadata is null ? null : Scalar(metadata, "namespace"),
                (metadata is null ? null : Scalar(metadata, "name")) ?? "");
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlScalarNode { Value: { Length: > 0 } text } ? text : null;

    /// <summary>Kinds beyond these are trusted to the recorded fingerprint (reading them would need API discovery).</summary>
    private static async Task<bool> ExistsAsync(IKubernetes client, string apiVersion, string kind, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            Task? read = (apiVersion, kind) switch
            {
                ("v1", "Namespace") => client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken),
                ("v1", "ConfigMap") => client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken),
                ("v1", "Secret") => client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken),
                ("v1", "Service") => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken),
                ("v1", "ServiceAccount") => client.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: cancellationToken),
                ("apps/v1", "Deployment") => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken),
                ("apps/v1", "StatefulSet") => client.AppsV1.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: cancellationToken),
                ("apps/v1", "DaemonSet") => client.AppsV1.ReadNamespacedDaemonSetAsync(name, ns, cancellationToken: cancellationToken),
                _ => null,
            };
            if (read is not null) await read.ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return false;
        }
    }
}
