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

    /// <summary>
    /// Placeholders whose value is read each time the manifest is rendered (for its fingerprint, Check and Apply)
    /// rather than when the lab is planned: a project's image, whose tag follows its sources. They win over
    /// <see cref="Variables"/> on the same name.
    /// </summary>
    public IReadOnlyDictionary<string, Func<string>> ResolvedVariables { get; init; } = new Dictionary<string, Func<string>>();

    /// <summary>Every placeholder's value as of now.</summary>
    public IReadOnlyDictionary<string, string> VariablesNow()
    {
        if (ResolvedVariables.Count == 0) return Variables;
        var values = new Dictionary<string, string>(Variables, StringComparer.Ordinal);
        foreach (var (name, value) in ResolvedVariables) values[name] = value();
        return values;
    }
}

/// <summary>Server-side applies a rendered manifest (generic: TNS, exports, ...); done when every object in it exists.</summary>
internal sealed class ManifestStep(ManifestSpec spec, LabServices lab) : Step
{
    public override string Id => $"{spec.Cluster.Name}/{spec.Component}";
    public override string ResourceName => spec.ResourceName ?? StepIds.Resource(spec.Cluster.Name, spec.Component);
    public override IReadOnlyList<string> DependsOn => spec.DependsOn;
    public override string? StateCluster => spec.Cluster.Name;
    public override TimeSpan Timeout => TimeSpan.FromMinutes(3);

    // The template is read once, as before; only the values that follow a run (a project's image) change.
    private readonly Lazy<string> _template = new(() => File.ReadAllText(spec.TemplateFile));

    /// <summary>The manifest as the template and the values are now (the resolved ones as of this run).</summary>
    public string Rendered => ManifestTemplate.Render(_template.Value, spec.VariablesNow(), spec.TemplateFile);
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
