namespace LgtmLab.AppHost.Observability;

/// <summary>
/// One observability component to install on a cluster, as the provisioning engine consumes it: a Helm
/// release of a chart pinned in lab-assets/versions.yaml, or a folder of manifests.
/// </summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Name">Component and release name, e.g. <c>loki</c>; its dashboard resource is <see cref="ResourceName"/>.</param>
/// <param name="Namespace">Namespace it is installed into.</param>
/// <param name="Chart">Key under <c>charts:</c> in versions.yaml; null for manifests.</param>
/// <param name="ValuesFiles">Values files relative to lab-assets, applied in order.</param>
/// <param name="GenerateValues">Given the lab-assets folder, the generated values (YAML) to apply after
/// <paramref name="ValuesFiles"/>; null when there are none. Part of the step's inputs (and fingerprint).</param>
/// <param name="ManifestsDirectory">Folder of manifests relative to lab-assets; null for a chart.</param>
/// <param name="Readiness">The endpoint that says it is ready.</param>
internal sealed record ObservabilityComponent(
    string Cluster,
    string Name,
    string Namespace,
    string? Chart,
    IReadOnlyList<string> ValuesFiles,
    Func<string, string>? GenerateValues,
    string? ManifestsDirectory,
    ReadinessEndpoint Readiness)
{
    public string ResourceName => $"{Cluster}-{Name}";
}
