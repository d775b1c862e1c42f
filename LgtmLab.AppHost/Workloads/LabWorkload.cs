using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Workloads;

/// <summary>
/// Something a user (or the lab itself, like TNS) runs in one cluster of the lab: a Helm chart, a folder of
/// manifests or a .NET project. Each is one dashboard resource, <c>&lt;Cluster&gt;-&lt;Name&gt;</c>, child of its
/// cluster, healthy while its Deployments, StatefulSets and DaemonSets are ready.
/// </summary>
/// <param name="Cluster">The lab cluster it runs in, e.g. <c>lgtm-remote</c>.</param>
/// <param name="Name">Its name in that cluster: names its steps (<c>&lt;Cluster&gt;/&lt;Name&gt;</c>) and resource.</param>
internal abstract record LabWorkload(string Cluster, string Name)
{
    /// <summary>The dashboard resource, e.g. <c>lgtm-remote-tns</c>.</summary>
    public string ResourceName => StepIds.Resource(Cluster, Name);
}

/// <summary>A Helm release of a chart from a repository, installed like the lab's own releases (MetalLB, LGTM).</summary>
/// <param name="Chart">The chart's name in <paramref name="Repo"/>, e.g. <c>podinfo</c>.</param>
/// <param name="Version">The exact chart version (the lab pins every chart).</param>
/// <param name="Repo">A chart repository URL (<c>https://...</c>, the folder holding index.yaml) or an OCI
/// registry path (<c>oci://ghcr.io/org/charts</c>, the chart being <c>&lt;Repo&gt;/&lt;Chart&gt;</c>).</param>
/// <param name="Namespace">Where the release and its objects go (created when missing).</param>
/// <param name="ValuesFiles">Absolute paths of values files, passed in this order (<c>-f</c>).</param>
internal sealed record HelmChartWorkload(string Cluster, string Name, string Chart, string Version, string Repo, string Namespace, IReadOnlyList<string> ValuesFiles)
    : LabWorkload(Cluster, Name);

/// <summary>Every <c>*.yaml</c> file of a folder, applied as it is (server-side apply, in file-name order).</summary>
/// <param name="Directory">Absolute path of the folder.</param>
internal sealed record ManifestsWorkload(string Cluster, string Name, string Directory) : LabWorkload(Cluster, Name);

/// <summary>
/// A .NET project built into a container image (<c>dotnet publish -t:PublishContainer</c>, tagged with the
/// fingerprint of its sources, loaded into the cluster's nodes) and deployed from a manifest template whose
/// placeholders the lab fills: <c>{{ image }}</c>, <c>{{ name }}</c>, <c>{{ namespace }}</c>, <c>{{ cluster }}</c>,
/// <c>{{ tenant }}</c>, <c>{{ otlpEndpoint }}</c> (the cluster's Alloy, empty when LGTM is off) and
/// <c>{{ inject }}</c> (Linkerd's <c>enabled</c>/<c>disabled</c>).
/// </summary>
/// <param name="ProjectPath">Absolute path of the .csproj.</param>
/// <param name="ManifestTemplate">A file under lab-assets/manifests (e.g. <c>tns/tns.yaml</c>) or an absolute path;
/// null: <see cref="DefaultManifestTemplate"/> (a Namespace, a Deployment sending OTLP to Alloy, a Service).</param>
internal sealed record ProjectWorkload(string Cluster, string Name, string ProjectPath, string? ManifestTemplate) : LabWorkload(Cluster, Name)
{
    /// <summary>lab-assets/manifests/project/deployment.yaml.</summary>
    public const string DefaultManifestTemplate = "project/deployment.yaml";

    /// <summary>The namespace the manifest's objects go to and the probe reads; default: <see cref="LabWorkload.Name"/>.</summary>
    public string? Namespace { get; init; }

    /// <summary>The image repository; default: <c>lgtmlab/&lt;Name&gt;</c>. The tag is the sources' fingerprint.</summary>
    public string? ImageRepository { get; init; }

    /// <summary>The base image the SDK builds on; default: lab-assets/versions.yaml <c>images.projectBase</c>.</summary>
    public string? BaseImage { get; init; }

    public string EffectiveNamespace => Namespace ?? Name;
    public string EffectiveImageRepository => ImageRepository ?? "lgtmlab/" + Name;
}
