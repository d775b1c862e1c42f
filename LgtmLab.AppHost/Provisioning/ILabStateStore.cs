namespace LgtmLab.AppHost.Provisioning;

/// <summary>
/// Where the lab records what it has done, per cluster (the <c>lgtmlab-state</c> ConfigMap in kube-system), so a
/// re-run can tell converged steps from changed ones without touching anything.
/// </summary>
internal interface ILabStateStore
{
    /// <summary>The recorded value, or null when the cluster has no kubeconfig context, no state yet, or no such key.</summary>
    Task<string?> ReadAsync(string cluster, string key, CancellationToken cancellationToken);

    /// <summary>Records a value; creates the state on first use.</summary>
    Task WriteAsync(string cluster, string key, string value, CancellationToken cancellationToken);
}
