using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// Healthy exactly when every step of the resource has succeeded and its live probe (if it has one) passes, so
/// <c>WaitFor(cluster)</c> means "ready" and a broken link or component shows up with its reason.
/// </summary>
internal sealed class LabResourceHealthCheck(LabModel lab, string resourceName) : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
    private ThrottledProbe? _probe;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = lab.StatusOf(resourceName);
        var description = LabSnapshots.Explain(status);
        if (status.Phase != LabResourcePhase.Running || lab.DefinitionOf(resourceName) is not { } definition)
            return HealthCheckResult.Unhealthy(description);
        if (definition.Probe is null)
            return HealthCheckResult.Healthy(description);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            // The definition is bound when the app starts, so the throttle is made on the first probe.
            var throttled = LazyInitializer.EnsureInitialized(ref _probe, () => new ThrottledProbe(definition.Probe, TimeProvider.System));
            var probe = await throttled.ProbeAsync(timeout.Token).ConfigureAwait(false);
            if (definition.LiveProperties is not null)
                lab.PropertiesChanged?.Invoke(resourceName);
            return probe.Healthy ? HealthCheckResult.Healthy(probe.Description) : HealthCheckResult.Unhealthy(probe.Description);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Its health probe did not answer within {ProbeTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Its health probe failed: {ex.Message}");
        }
    }
}
