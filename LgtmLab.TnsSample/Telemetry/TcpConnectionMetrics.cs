using System.Diagnostics.Metrics;

namespace LgtmLab.TnsSample.Telemetry;

/// <summary>
/// <c>tns_tcp_connections</c> and <c>tns_tcp_connections_limit</c> for the HTTP listener. TNS also has an
/// unused gRPC listener and so a <c>protocol="grpc"</c> series; this port has no gRPC server and no such series.
/// </summary>
internal sealed class TcpConnectionMetrics
{
    private const string Protocol = "http";
    private long _open;

    public TcpConnectionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TnsTelemetry.Name);
        meter.CreateObservableGauge(
            "tns_tcp_connections", () => new Measurement<long>(Interlocked.Read(ref _open), new KeyValuePair<string, object?>("protocol", Protocol)),
            description: "Current number of accepted TCP connections.");
        // Kestrel's MaxConcurrentConnections is unset, as TNS's limit is: 0 means no limit.
        meter.CreateObservableGauge(
            "tns_tcp_connections_limit", () => new Measurement<long>(0, new KeyValuePair<string, object?>("protocol", Protocol)),
            description: "The max number of TCP connections that can be accepted (0 means no limit).");
    }

    public void Opened() => Interlocked.Increment(ref _open);

    public void Closed() => Interlocked.Decrement(ref _open);
}
