using Aspire.Hosting.ApplicationModel;
using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// What <c>AddLab</c> added: the cluster resources and their components, for resources that want to wait on
/// them (<c>.WaitFor(lab.Central)</c>). Empty when the lab is disabled (<c>Lab:Enabled=false</c>).
/// </summary>
public sealed class LabBuilder
{
    internal LabBuilder(
        LabOptions options,
        IReadOnlyList<IResourceBuilder<KindClusterResource>> clusters,
        IReadOnlyList<IResourceBuilder<LabComponentResource>> components)
    {
        Options = options;
        Clusters = clusters;
        Components = components;
    }

    /// <summary>The <c>Lab</c> configuration the lab was built from.</summary>
    public LabOptions Options { get; }

    /// <summary>One resource per kind cluster, central first.</summary>
    public IReadOnlyList<IResourceBuilder<KindClusterResource>> Clusters { get; }

    /// <summary>Every component resource, children of their clusters.</summary>
    public IReadOnlyList<IResourceBuilder<LabComponentResource>> Components { get; }

    /// <summary>The central cluster (the one running the LGTM stack); null when the lab is disabled.</summary>
    public IResourceBuilder<KindClusterResource>? Central =>
        Clusters.FirstOrDefault(c => c.Resource.Name == Options.Central.Name) ?? Clusters.FirstOrDefault();

    /// <summary>The cluster resource with the given name.</summary>
    /// <exception cref="KeyNotFoundException">No cluster of the lab has that name.</exception>
    public IResourceBuilder<KindClusterResource> Cluster(string name) =>
        Clusters.FirstOrDefault(c => c.Resource.Name == name)
        ?? throw new KeyNotFoundException($"The lab has no cluster named '{name}'; its clusters are: {string.Join(", ", Clusters.Select(c => c.Resource.Name))}");
}
