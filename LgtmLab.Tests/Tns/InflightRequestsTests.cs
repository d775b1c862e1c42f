using System.Diagnostics.Metrics;
using LgtmLab.TnsSample.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace LgtmLab.Tests.Tns;

/// <summary><c>tns_inflight_requests</c>: what a scrape reads while requests are in flight and after they end.</summary>
public sealed class InflightRequestsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly IMeterFactory _meters;
    private readonly InflightRequests _inflight;

    public InflightRequestsTests()
    {
        _meters = _services.GetRequiredService<IMeterFactory>();
        _inflight = new InflightRequests(_meters);
    }

    [Fact]
    public void A_scrape_sees_each_route_s_requests_in_flight_and_zero_once_they_end()
    {
        var first = _inflight.Enter("GET", "root");
        var second = _inflight.Enter("GET", "root");
        var post = _inflight.Enter("POST", "post");

        Assert.Equal(new Dictionary<string, long> { ["GET root"] = 2, ["POST post"] = 1 }, Observe());

        first.Dispose();
        post.Dispose();
        Assert.Equal(new Dictionary<string, long> { ["GET root"] = 1, ["POST post"] = 0 }, Observe());

        second.Dispose();
        Assert.Equal(new Dictionary<string, long> { ["GET root"] = 0, ["POST post"] = 0 }, Observe());
    }

    [Fact]
    public void Client_chosen_methods_cannot_grow_the_gauge_without_bound()
    {
        for (var i = 0; i < 2500; i++)
            _inflight.Enter($"M{i}", "other").Dispose();
        using var known = _inflight.Enter("M0", "other");

        var series = Observe();

        Assert.Equal(2000, series.Count);
        Assert.Equal(1, series["M0 other"]);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>What a collection reads: "method route" to value.</summary>
    private Dictionary<string, long> Observe()
    {
        var observed = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's meter: other tests may run TNS services in this process.
            if (instrument.Name == "tns_inflight_requests" && instrument.Meter.Scope == _meters)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? method = null, route = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "method") method = (string?)tag.Value;
                if (tag.Key == "route") route = (string?)tag.Value;
            }
            observed[$"{method} {route}"] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }
}
