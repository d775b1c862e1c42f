using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// Healthy exactly when every step of the resource has succeeded and its live probe (if it has one) passes, so
/// <c>WaitFor(cluster)</c> means "ready" and a broken link or component shows up with its reason.
/// </summary>
internal sealed class LabResourceHealthCheck(LabStatusBoard board, LabResource definition) : IHealthCheck
{
    static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
    private readonly ThrottledProbe? _probe = definition.Probe is null ? null : new(definition.Probe, TimeProvider.System);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = board.StatusOf(definition.Name);
        var description = LabSnapshots.Explain(status);
        if (status.Phase != LabResourcePhase.Running)
            return HealthCheckResult.Unhealthy(description);
        if (definition.Probe is null)
            return HealthCheckResult.Healthy(description);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            var probe = await _probe!.ProbeAsync(timeout.Token).ConfigureAwait(false);
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
