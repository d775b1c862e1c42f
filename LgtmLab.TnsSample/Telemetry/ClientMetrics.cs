using System.Diagnostics.Metrics;

namespace LgtmLab.TnsSample.Telemetry;

/// <summary>The metric of TNS's instrumented HTTP client (app and loadgen).</summary>
internal sealed class ClientMetrics(IMeterFactory meterFactory)
{
    private readonly Histogram<double> _duration = meterFactory.Create(TnsTelemetry.Name).CreateHistogram<double>(
        "tns_client_request_duration_seconds", "s", "Time (in seconds) spent doing client HTTP requests",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Default });

    /// <param name="method">The request method.</param>
    /// <param name="statusCode">The numeric status, or <c>error</c> when no response came.</param>
    /// <param name="seconds">Time until the response headers (or the error).</param>
    public void Record(string method, string statusCode, double seconds) =>
        _duration.Record(seconds, new("method", method), new("status_code", statusCode));
}
