using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Steps;

/// <summary>A manifest of lab-assets/manifests applied to a cluster, with its placeholders filled in.</summary>
internal sealed record ManifestSpec(ClusterSpec Cluster, string Component, string TemplateFile, IReadOnlyDictionary<string, string> Variables)
{
    public IReadOnlyList<string> DependsOn { get; init; } = [StepIds.Cluster(Cluster.Name)];
    public string? ResourceName { get; init; }
    /// <summary>The rendered file's name under the cluster's state folder; default: the template's (two steps sharing a template need their own).</summary>
    public string? FileName { get; init; }
}

/// <summary>Server-side applies a rendered manifest (generic: TNS, exports, ...); done when every object in it exists.</summary>
internal sealed class ManifestStep(ManifestSpec spec, LabServices lab) : Step
{
    private readonly Lazy<string> _rendered = new(() =>
        ManifestTemplate.Render(File.ReadAllText(spec.TemplateFile), spec.Variables, spec.TemplateFile));

    public override string Id => $"{spec.Cluster.Name}/{spec.Component}";
    public override string ResourceName => spec.ResourceName ?? StepIds.Resource(spec.Cluster.Name, spec.Component);
    public override IReadOnlyList<string> DependsOn => spec.DependsOn;
    public override string? StateCluster => spec.Cluster.Name;
    public override TimeSpan Timeout => TimeSpan.FromMinutes(3);

    public string Rendered => _rendered.Value;
    public override string Fingerprint => Provisioning.Fingerprint.Of(("manifest", Rendered));

    public override async Task<bool> CheckAsync(StepContext context)
    {
        var client = lab.Kubernetes.For(spec.Cluster.KubeContext);
        foreach (var item in LabManifests.Load(Rendered))
            if (!await ClusterQueries.ExistsAsync(client, item, context.CancellationToken).ConfigureAwait(false))
                return false;
        return true;
    }

    /// <summary>When a wait ended, what the pods of the namespaces the manifest's objects live in say.</summary>
    public override async Task<WorkloadDiagnosis?> DiagnoseAsync(StepContext context, Exception failure)
    {
        if (!StepFailures.EndsAWait(failure)) return null;
        var client = lab.Kubernetes.For(spec.Cluster.KubeContext);
        foreach (var ns in LabManifests.Load(Rendered).Select(o => o.Metadata.NamespaceProperty).OfType<string>().Distinct(StringComparer.Ordinal))
            if (await WorkloadDiagnosis.ReadAsync(client, ns, context.CancellationToken).ConfigureAwait(false) is { } diagnosis)
                return diagnosis;
        return null;
    }

    public override async Task ApplyAsync(StepContext context)
    {
        var file = await ManifestFiles.WriteAsync(lab, spec.Cluster.Name, spec.FileName ?? Path.GetFileName(spec.TemplateFile), Rendered, context.CancellationToken).ConfigureAwait(false);
        await lab.Kubectl.ApplyAsync(spec.Cluster.KubeContext, file, context.Logger, context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Rendered manifests are written under the cluster's state folder, where a user can read what was applied.</summary>
internal static class ManifestFiles
{
    public static async Task<string> WriteAsync(LabServices lab, string cluster, string fileName, string content, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(lab.ClusterDirectory(cluster), "manifests");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, fileName);
        await File.WriteAllTextAsync(file, content, cancellationToken).ConfigureAwait(false);
        return file;
    }
}
