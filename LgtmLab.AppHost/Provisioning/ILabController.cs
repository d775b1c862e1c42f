using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>
/// The seam between the provisioning engine and the Aspire hosting layer: the hosting layer turns
/// <see cref="Resources"/> into dashboard resources, forwards progress into their states and logs, and
/// calls the verbs from dashboard commands.
/// </summary>
public interface ILabController
{
    /// <summary>Every resource the lab shows (clusters and their components), known before anything runs.</summary>
    IReadOnlyList<LabResource> Resources { get; }

    /// <summary>Preflight, then the whole step graph; returns when every step has succeeded, failed or been blocked.</summary>
    Task RunAsync(IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken);

    /// <summary>Runs again the failed or blocked steps of one resource and everything downstream of them.</summary>
    Task RetryAsync(string resourceName, IProgress<StepProgress> progress, Func<string, ILogger> loggerFor, CancellationToken cancellationToken);

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
public sealed record LabResource(string Name, string? Parent, string Kind, IReadOnlyDictionary<string, string> Properties);
