using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Observability;

/// <summary>Which clusters a budget line applies to.</summary>
internal enum BudgetScope
{
    /// <summary>Once, on the central cluster.</summary>
    Central,
    /// <summary>On every remote cluster.</summary>
    EachRemote,
}

/// <summary>
/// One line of the memory budget: a container (or a group of containers another part of the lab installs)
/// with its memory request and limit in MiB.
/// </summary>
/// <param name="Component">What it is, e.g. <c>Loki</c>.</param>
/// <param name="Container">Container(s) it covers.</param>
/// <param name="ValuesFile">Where the lab sets these figures (relative to lab-assets); null for an estimate.</param>
/// <param name="ResourcesPath">In a values file the dotted key path of the <c>resources</c> map; in a manifest
/// <c>Kind/name/container</c>.</param>
/// <param name="EstimateBasis">For an estimate: what it is based on.</param>
/// <param name="AppliesTo">Whether the component is on for the configured component switches.</param>
internal sealed record MemoryBudgetItem(
    BudgetScope Scope,
    string Component,
    string Container,
    int RequestMiB,
    int LimitMiB,
    string? ValuesFile,
    string? ResourcesPath,
    string? EstimateBasis,
    Func<ComponentOptions, bool> AppliesTo)
{
    /// <summary>True when the figures are the lab's own requests and limits, false for an estimate.</summary>
    public bool IsSetByLab => ValuesFile is not null;
}
