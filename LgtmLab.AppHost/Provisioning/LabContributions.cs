namespace LgtmLab.AppHost.Provisioning;

/// <summary>The parts of the lab a real run adds on top of clusters, routes and MetalLB, in the order they plug in.</summary>
internal static class LabContributions
{
    /// <summary>Every part a default lab has; each one reads <c>Lab:Components</c> and adds nothing when it is off.</summary>
    public static IReadOnlyList<ILabPlanContribution> Default { get; } =
    [
        new Mesh.MeshContribution(),
        new Lgtm.LgtmContribution(),
        new Tns.TnsContribution(),
    ];
}
