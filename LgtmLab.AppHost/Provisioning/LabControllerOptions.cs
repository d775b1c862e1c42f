using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Tools;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>How a <see cref="LabController"/> finds its tools and assets; the defaults are right for a real run.</summary>
internal sealed record LabControllerOptions
{
    /// <summary>Finds kind, kubectl, helm and linkerd; default: the pinned-tool installer (PATH at the pinned version, else the per-user cache).</summary>
    public IToolLocator? ToolLocator { get; init; }

    /// <summary>A PATH-like list of folders where docker (and, by default, every tool) is looked up; the process PATH when null.</summary>
    public string? SearchPath { get; init; }

    /// <summary>Extra variables for every process the lab starts (KUBECONFIG is always set from the lab's configuration).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>lab-assets; default: <see cref="LabAssets.Locate"/>.</summary>
    public LabAssets? Assets { get; init; }

    public PreflightSettings Preflight { get; init; } = new();

    /// <summary>Grafana's admin password, read when the lab writes it into the cluster (AddLab passes its Aspire secret parameter).</summary>
    public Func<CancellationToken, ValueTask<string?>>? GrafanaAdminPassword { get; init; }

    /// <summary>Further parts of the lab (Linkerd, LGTM, TNS, ...) added to the plan.</summary>
    public IReadOnlyList<ILabPlanContribution> Contributions { get; init; } = [];
}
