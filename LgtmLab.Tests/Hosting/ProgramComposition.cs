using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Mesh;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tns;

namespace LgtmLab.Tests.Hosting;

/// <summary>The lab composed with the same verbs as Program.cs, its engine pointed at the given tools.</summary>
internal static class ProgramComposition
{
    /// <summary>
    /// Adds the lab as Program.cs does. Contributions given in <paramref name="options"/> become the component
    /// switches (the parts not listed are turned off), so the app model and the plan describe the same lab.
    /// </summary>
    public static (IResourceBuilder<KindLabResource> Lab, IResourceBuilder<KindClusterResource> Central, IReadOnlyList<IResourceBuilder<KindClusterResource>> Remotes)
        AddDefaultLab(this IDistributedApplicationBuilder builder, LabControllerOptions options)
    {
        if (options.Contributions.Count > 0)
        {
            builder.Configuration["Lab:Components:Linkerd"] = Has<MeshContribution>(options).ToString();
            builder.Configuration["Lab:Components:Lgtm"] = Has<LgtmContribution>(options).ToString();
            builder.Configuration["Lab:Components:Tns"] = Has<TnsContribution>(options).ToString();
            options = options with { Contributions = [] };
        }
        var lab = builder.AddLab("lgtm", options);
        var central = lab.AddCentral().WithLgtmStack();
        var remotes = lab.AddRemotes();
        foreach (var remote in remotes)
            remote.LinkTo(central).WithTns();
        return (lab, central, remotes);
    }

    /// <summary>The lab's central cluster, for a test resource that waits on it.</summary>
    public static IResourceBuilder<KindClusterResource> Central(this IResourceBuilder<KindLabResource> lab) =>
        lab.ApplicationBuilder.CreateResourceBuilder(lab.Resource.Clusters.Single(c => c.Role == LgtmLab.AppHost.Configuration.ClusterRole.Central));

    private static bool Has<T>(LabControllerOptions options) => options.Contributions.OfType<T>().Any();
}
