using System.Diagnostics.Metrics;
using LgtmLab.TnsSample.Telemetry;

namespace LgtmLab.TnsSample.Roles.Db;

/// <summary>
/// db's own metrics; exemplars carry the trace id. TNS's post histogram is also a Prometheus native histogram:
/// the OpenTelemetry Prometheus exporter writes classic buckets only, so only those are here.
/// </summary>
internal sealed class DbMetrics
{
    public DbMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TnsTelemetry.Name);
        Fetches = meter.CreateCounter<long>("tns_db_fetches_total", description: "Number of fetch requests handled by the database");
        PostTime = meter.CreateHistogram<double>("tns_db_post_time_seconds", "s", "Time taken to submit new links to the database",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Default });
        VoteTime = meter.CreateHistogram<double>("tns_db_vote_time_seconds", "s", "Time taken to vote on links in the database",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Default });
    }

    public Counter<long> Fetches { get; }

    public Histogram<double> PostTime { get; }

    public Histogram<double> VoteTime { get; }
}
