using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LgtmLab.AppHost.Hosting;

/// <summary>Healthy exactly when every step of the resource has succeeded, so <c>WaitFor(cluster)</c> means "ready".</summary>
internal sealed class LabResourceHealthCheck(LabStatusBoard board, string resourceName) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = board.StatusOf(resourceName);
        var description = LabSnapshots.Explain(status);
        return Task.FromResult(status.Phase == LabResourcePhase.Running
            ? HealthCheckResult.Healthy(description)
            : HealthCheckResult.Unhealthy(description));
    }
}
