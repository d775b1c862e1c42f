using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;

namespace LgtmLab.TnsSample.Roles.App;

/// <summary>
/// Readiness of the app: at least one db answers its /health. It lets the app start alongside its db (under Aspire
/// and in Kubernetes) while whoever waits for a ready app (loadgen's WaitFor, a readiness probe) still finds a
/// working page. Liveness (/alive) does not include it: a db outage must not restart the app.
/// </summary>
internal sealed class DbReachableHealthCheck(DbPeers peers, IHttpClientFactory clients) : IHealthCheck
{
    public const string ClientName = "tns-db-health";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var http = clients.CreateClient(ClientName);
        var failures = new List<string>();
        foreach (var db in peers.All)
        {
            try
            {
                // A poll every few seconds is not traffic: no trace for it (db keeps /health out of its traces too).
                using var suppressed = SuppressInstrumentationScope.Begin();
                using var response = await http.GetAsync(db + "/health", timeout.Token);
                if (response.IsSuccessStatusCode)
                    return HealthCheckResult.Healthy($"db {db} answers");
                failures.Add($"{db}: {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{db}: {e.Message}");
            }
        }
        return HealthCheckResult.Unhealthy($"no db answers: {string.Join("; ", failures)}");
    }
}
