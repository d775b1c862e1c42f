using System.Diagnostics.Metrics;

namespace LgtmLab.TnsSample.Telemetry;

/// <summary>
/// The server histograms weaveworks/common registers for every TNS service (namespace <c>tns</c>); its in-flight gauge
/// is <see cref="InflightRequests"/>.
/// </summary>
internal sealed class RequestMetrics
{
    public RequestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TnsTelemetry.Name);
        Duration = meter.CreateHistogram<double>(
            "tns_request_duration_seconds", "s", "Time (in seconds) spent serving HTTP requests.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Request });
        RequestBytes = meter.CreateHistogram<long>(
            "tns_request_message_bytes", "By", "Size (in bytes) of messages received in the request.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = Buckets.BodySize.Select(b => (long)b).ToArray() });
        ResponseBytes = meter.CreateHistogram<long>(
            "tns_response_message_bytes", "By", "Size (in bytes) of messages sent in response.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = Buckets.BodySize.Select(b => (long)b).ToArray() });
    }

    public Histogram<double> Duration { get; }

    public Histogram<long> RequestBytes { get; }

    public Histogram<long> ResponseBytes { get; }
}
