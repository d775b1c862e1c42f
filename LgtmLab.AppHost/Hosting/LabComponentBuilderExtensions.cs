using Aspire.Hosting.ApplicationModel;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;

namespace Aspire.Hosting;

/// <summary>Verbs for <see cref="LabComponentResource"/>: a component shown as a child of its cluster.</summary>
internal static class LabComponentBuilderExtensions
{
    internal static IResourceBuilder<LabComponentResource> AddLabComponent(
        this IDistributedApplicationBuilder builder, LabModel lab, IResourceBuilder<KindClusterResource> cluster, LabResource definition)
    {
        var component = new LabComponentResource(definition.Name, cluster.Resource, definition);
        lab.Add(component);
        return builder.AddResource(component)
            .WithParentRelationship(cluster)
            .WithIconName(IconOf(definition.Kind))
            .WithLabLifecycle(lab, definition);
    }

    /// <summary>A dashboard icon (Fluent UI name) per kind of component.</summary>
    static string IconOf(string kind) => kind switch
    {
        "HelmRelease" => "Box",
        "Manifests" => "DocumentBulletList",
        "Routes" => "ArrowRouting",
        "Link" or "MulticlusterLink" => "PlugConnected",
        "ImageLoad" => "ArrowDownload",
        _ => "Cube",
    };
}
