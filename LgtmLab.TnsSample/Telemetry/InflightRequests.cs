using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace LgtmLab.TnsSample.Telemetry;

/// <summary>
/// <c>tns_inflight_requests{method,route}</c>, kept as Go's GaugeVec keeps it: one atomic per label set, read only
/// when metrics are collected. An UpDownCounter would cost two measurements per request in every metric reader
/// (Prometheus and OTLP each aggregate their own copy) for a value nobody reads between scrapes.
/// </summary>
internal sealed class InflightRequests
{
    // Request methods come from clients: past this many label sets new ones are not tracked, as OpenTelemetry's
    // own cardinality limit would have them folded away.
    private const int MaxLabelSets = 2000;
    private readonly ConcurrentDictionary<(string Method, string Route), StrongBox<long>> _gauges = new();

    public InflightRequests(IMeterFactory meterFactory) =>
        meterFactory.Create(TnsTelemetry.Name).CreateObservableUpDownCounter(
            "tns_inflight_requests", Observe, description: "Current number of inflight requests.");

    /// <summary>Counts a request in until the returned scope is disposed.</summary>
    public Scope Enter(string method, string route)
    {
        if (!_gauges.TryGetValue((method, route), out var gauge))
        {
            if (_gauges.Count >= MaxLabelSets)
                return default;
            gauge = _gauges.GetOrAdd((method, route), static _ => new StrongBox<long>());
        }
        Interlocked.Increment(ref gauge.Value);
        return new Scope(gauge);
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        foreach (var ((method, route), gauge) in _gauges)
            yield return new Measurement<long>(Interlocked.Read(ref gauge.Value), new("method", method), new("route", route));
    }

    /// <summary>One request in flight; disposing it counts the request out.</summary>
    public readonly struct Scope(StrongBox<long>? gauge) : IDisposable
    {
        public void Dispose()
        {
            if (gauge is not null)
                Interlocked.Decrement(ref gauge.Value);
        }
    }
}
