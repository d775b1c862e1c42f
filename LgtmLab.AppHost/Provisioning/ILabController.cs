using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>
/// The seam between the provisioning engine and the Aspire hosting layer: the hosting layer turns
/// <see cref="Resources"/> into dashboard resources, forwards progress into their states and logs, and
/// calls the verbs from dashboard commands.
/// </summary>
internal interface ILabController
{
    /// <summary>Every resource the lab shows (clusters and their components), known before anything runs.</summary>
    IReadOnlyList<LabResource> Resources { get; }

    /// <summary>Where every step stands; the verbs write it, and the dashboard's states are computed from it.</summary>
    StepOutcomeStore Outcomes { get; }

    /// <summary>Lets one operation run at a time: every verb goes through it, and so do the dashboard's commands.</summary>
    LabOperationGate Gate { get; }

    /// <summary>Preflight, then the whole step graph; returns when every step has succeeded, failed or been blocked.</summary>
    Task RunAsync(IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken);

    /// <summary>Runs again the failed or blocked steps of one resource and everything downstream of them.</summary>
    Task RetryAsync(string resourceName, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the given steps through the engine (retries, progress, fingerprints recorded) and nothing else, except
    /// dependencies of theirs that have not succeeded yet; e.g. the control-plane upgrade after an issuer rotation.
    /// </summary>
    Task RunStepsAsync(IEnumerable<string> stepIds, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken);

    /// <summary>Deletes one cluster (kind cluster, kubeconfig context, its state).</summary>
    Task DeleteClusterAsync(string clusterName, ILogger logger, CancellationToken cancellationToken);

    /// <summary>Deletes and creates one cluster and everything on it.</summary>
    Task RecreateClusterAsync(string clusterName, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken);

    /// <summary>Deletes every cluster of the lab and its state folder, leaving nothing behind.</summary>
    Task DeleteLabAsync(ILogger logger, CancellationToken cancellationToken);
}

/// <summary>A dashboard resource of the lab: a cluster (no parent) or a component of one.</summary>
/// <param name="Name">Resource name, e.g. <c>lgtm-central</c> or <c>lgtm-central-metallb</c>.</param>
/// <param name="Parent">The cluster resource it belongs to; null for a cluster.</param>
/// <param name="Kind">What it is, e.g. <c>KindCluster</c>, <c>HelmRelease</c>, <c>Routes</c>.</param>
/// <param name="Properties">What the dashboard shows about it (chart, version, namespace, CIDRs, ...).</param>
internal sealed record LabResource(string Name, string? Parent, string Kind, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Dashboard commands of this resource beyond Retry (e.g. <c>linkerd multicluster check</c>).</summary>
    public IReadOnlyList<LabResourceAction> Actions { get; init; } = [];

    /// <summary>
    /// A live check that runs once every step of the resource has succeeded (e.g. the gateway probe of a link, a
    /// readiness endpoint): the resource is healthy only while it passes. Null: healthy when its steps succeeded.
    /// </summary>
    public Func<CancellationToken, Task<LabProbeResult>>? Probe { get; init; }

    /// <summary>Properties read again each time the resource's state is published (after each step and probe):
    /// what changes while the AppHost runs, such as an issuer's expiry after a rotation. They win over
    /// <see cref="Properties"/> on the same key.</summary>
    public Func<IReadOnlyDictionary<string, string>>? LiveProperties { get; init; }

    /// <summary>Its properties as of now: <see cref="Properties"/> with <see cref="LiveProperties"/> read again.</summary>
    public IReadOnlyDictionary<string, string> PropertiesNow()
    {
        if (LiveProperties is null)
            return Properties;
        var merged = new Dictionary<string, string>(Properties);
        foreach (var (key, value) in LiveProperties())
            merged[key] = value;
        return merged;
    }
}

/// <summary>A dashboard command of a lab resource; its output goes to the resource's log.</summary>
/// <param name="Name">Command name, e.g. <c>linkerd-mc-check</c>.</param>
/// <param name="DisplayName">Menu text, e.g. "Multicluster check".</param>
/// <param name="Description">Tooltip: what it does.</param>
/// <param name="Run">Does the work, logging to the given logger; returns the message shown on success, throws on failure.</param>
internal sealed record LabResourceAction(string Name, string DisplayName, string Description, Func<ILogger, CancellationToken, Task<string>> Run)
{
    /// <summary>True when it changes the lab (it then waits for no other operation to run, and asks first).</summary>
    public bool Mutates { get; init; }

    /// <summary>Asked before a mutating action runs.</summary>
    public string? ConfirmationMessage { get; init; }

    /// <summary>Fluent UI icon name.</summary>
    public string IconName { get; init; } = "Play";

    /// <summary>
    /// Ids of the steps the engine runs once <see cref="Run"/> has succeeded, because it changed their inputs
    /// (e.g. the issuer rotation: the control plane's step). Empty: the action changes nothing the engine owns.
    /// </summary>
    public IReadOnlyList<string> ThenRunSteps { get; init; } = [];
}

/// <summary>What a resource's live probe found.</summary>
internal sealed record LabProbeResult(bool Healthy, string Description)
{
    public static LabProbeResult Pass(string description) => new(true, description);
    public static LabProbeResult Fail(string description) => new(false, description);
}
