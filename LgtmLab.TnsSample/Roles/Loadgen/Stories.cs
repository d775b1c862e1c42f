namespace LgtmLab.TnsSample.Roles.Loadgen;

/// <summary>
/// What loadgen posts, one at random each second. Like TNS's list it has eleven stories and the last has no URL,
/// so about one post in eleven gets app's <c>400 empty url</c>: a steady trickle of errors to look at.
/// </summary>
internal static class Stories
{
    public static readonly IReadOnlyList<Story> All =
    [
        new("Exemplars: jump from a latency spike straight to the slow trace", "https://grafana.com/docs/grafana/latest/fundamentals/exemplars/"),
        new("Loki 4.0 indexes nothing at all, and it is faster", "https://grafana.com/oss/loki/"),
        new("Tempo finds the needle: TraceQL explained", "https://grafana.com/docs/tempo/latest/traceql/"),
        new("Mimir ingests a billion series on a laptop (terms apply)", "https://grafana.com/oss/mimir/"),
        new("The RED method: rate, errors, duration", "https://grafana.com/blog/2018/08/02/the-red-method-how-to-instrument-your-services/"),
        new("Alloy replaces the agent; nobody notices, which is the point", "https://grafana.com/docs/alloy/latest/"),
        new("OpenTelemetry logs are stable: put the trace id in every line", "https://opentelemetry.io/docs/specs/otel/logs/"),
        new("Linkerd multicluster, explained with two kind clusters", "https://linkerd.io/2/features/multicluster/"),
        new("Why your p99 is a lie: histograms versus summaries", "https://prometheus.io/docs/practices/histograms/"),
        new("Aspire puts a dashboard on every F5", "https://aspire.dev/"),
        new("Ask GN: why does this story have no link?", ""),
    ];
}
