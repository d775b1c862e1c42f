namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// The lab: the parent of its kind clusters. Its state sums up every step of the lab (steps done of total, the
/// step running now), and it carries the commands that act on the whole lab (Delete lab, Collect diagnostics).
/// </summary>
public sealed class KindLabResource : Resource
{
    internal KindLabResource(string name, LabModel model)
        : base(name) => Model = model;

    internal LabModel Model { get; }

    /// <summary>The lab's clusters, central first, in the order they were added.</summary>
    public IReadOnlyList<KindClusterResource> Clusters => Model.Clusters;
}
