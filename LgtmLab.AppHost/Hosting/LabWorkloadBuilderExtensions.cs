using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Workloads;

namespace Aspire.Hosting;

/// <summary>
/// Your own workloads in the lab, through the same engine path as the lab's own components: a Helm chart,
/// a folder of manifests, or a .NET project built into an image. Each is a child resource of its cluster with
/// its state, logs, health from its own readiness and Retry.
/// </summary>
public static class LabWorkloadBuilderExtensions
{
    /// <summary>Installs a pinned Helm chart into the cluster (release and resource <c>&lt;cluster&gt;-&lt;name&gt;</c>).</summary>
    /// <param name="cluster">The cluster to install it into.</param>
    /// <param name="name">The release name, a lowercase DNS label.</param>
    /// <param name="chart">The chart's name in <paramref name="repo"/>.</param>
    /// <param name="version">The chart version, pinned.</param>
    /// <param name="repo">A chart repository URL (<c>https://...</c>) or an OCI registry path (<c>oci://...</c>).</param>
    /// <param name="namespace">The namespace; default: <paramref name="name"/>.</param>
    /// <param name="valuesFiles">Values files, relative to the AppHost's folder or absolute.</param>
    /// <returns>The release's resource.</returns>
    public static IResourceBuilder<LabComponentResource> WithHelmRelease(this IResourceBuilder<KindClusterResource> cluster,
        string name, string chart, string version, string repo, string? @namespace = null, params string[] valuesFiles)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var files = valuesFiles.Select(f => Path.GetFullPath(f, cluster.ApplicationBuilder.AppHostDirectory)).ToList();
        return cluster.AddWorkload(new HelmChartWorkload(cluster.Resource.Name, name, chart, version, repo, @namespace ?? name, files), "HelmRelease");
    }

    /// <summary>Applies every <c>*.yaml</c> of a folder to the cluster (server-side apply), as the lab applies its own manifests.</summary>
    /// <param name="cluster">The cluster to apply them to.</param>
    /// <param name="name">The resource's name within the cluster, a lowercase DNS label.</param>
    /// <param name="directory">The folder, relative to the AppHost's folder or absolute.</param>
    /// <returns>The manifests' resource.</returns>
    public static IResourceBuilder<LabComponentResource> WithManifests(this IResourceBuilder<KindClusterResource> cluster, string name, string directory)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var path = Path.GetFullPath(directory, cluster.ApplicationBuilder.AppHostDirectory);
        return cluster.AddWorkload(new ManifestsWorkload(cluster.Resource.Name, name, path), "Manifests");
    }

    /// <summary>
    /// Builds a .NET project into an image (<c>dotnet publish -t:PublishContainer</c>, tagged by its sources),
    /// loads it into the cluster and deploys it from a manifest template, its OTLP going to the cluster's Alloy
    /// and its telemetry stored under the cluster's tenant. TNS runs in the remotes this way.
    /// </summary>
    /// <typeparam name="TProject">The project, as Aspire generates it (<c>Projects.MyService</c>).</typeparam>
    /// <param name="cluster">The cluster to deploy it to.</param>
    /// <param name="name">Its name: namespace, Deployment and resource <c>&lt;cluster&gt;-&lt;name&gt;</c>.</param>
    /// <param name="manifestTemplate">A template under lab-assets/manifests or an absolute path; default
    /// <c>lab-assets/manifests/project/deployment.yaml</c> (Namespace, Deployment, Service on port 8080).</param>
    /// <returns>The workload's resource.</returns>
    public static IResourceBuilder<LabComponentResource> WithProject<TProject>(this IResourceBuilder<KindClusterResource> cluster, string name, string? manifestTemplate = null)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.AddWorkload(new ProjectWorkload(cluster.Resource.Name, name, new TProject().ProjectPath, manifestTemplate), "Workload");
    }

    private static IResourceBuilder<LabComponentResource> AddWorkload(this IResourceBuilder<KindClusterResource> cluster, LabWorkload workload, string kind)
    {
        var model = cluster.Resource.Lab.Model;
        var component = cluster.AddComponent(workload.Name, kind);
        model.Workloads.Add(workload);
        if (kind == "Workload" && model.Components.FirstOrDefault(c => c.Name == StepIds.Resource(cluster.Resource.Name, "alloy")) is { } alloy)
            component.WithRelationship(alloy, LabPartsBuilderExtensions.TelemetryRelationship);
        return component;
    }
}
