using OpenTelemetry.Metrics;

namespace LgtmLab.ServiceDefaults.Telemetry;

/// <summary>
/// Metric streams the lab drops. TNS closes its connection after every request (as the Go original does), so
/// anything recorded per connection, per DNS lookup or per pooled buffer (Kestrel rents and returns several for
/// every connection) costs as much as a request metric or more, and no dashboard of the lab reads them: dropping
/// them took a fifth off telemetry's CPU per request in bench/tns-wrk.sh, and the buffer pool's streams were a
/// further sixth of what metrics still cost. Request durations (<c>http.server.request.duration</c>,
/// <c>http.client.request.duration</c>) and TNS's own metrics stay.
/// </summary>
internal static class PerConnectionMetrics
{
    private static readonly string[] Dropped =
    [
        "kestrel.*",
        "aspnetcore.memory_pool.*",
        "aspnetcore.routing.match_attempts",
        "http.client.open_connections",
        "http.client.connection.duration",
        "http.client.request.time_in_queue",
        "dns.lookup.duration",
    ];

    public static MeterProviderBuilder DropPerConnectionMetrics(this MeterProviderBuilder metrics)
    {
        foreach (var name in Dropped)
            metrics.AddView(name, MetricStreamConfiguration.Drop);
        return metrics;
    }
}
