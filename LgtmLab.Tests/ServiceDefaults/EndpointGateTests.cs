using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LgtmLab.ServiceDefaults.Telemetry;
using OpenTelemetry;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.ServiceDefaults;

/// <summary>An additional endpoint that refuses connections (the lab is down) gets nothing to export until it is up.</summary>
public class EndpointGateTests
{
    [Fact]
    public async Task Spans_reach_the_export_processor_only_while_the_endpoint_accepts_connections()
    {
        var port = FreePort.Next();
        var export = new CountingProcessor();
        using var gated = new GatedProcessor<Activity>(
            new EndpointGate(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromMilliseconds(100)), export);

        for (var i = 0; i < 6; i++)
        {
            gated.OnEnd(new Activity("while down"));
            await Task.Delay(50);
        }
        Assert.Equal(0, export.Ended);

        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (export.Ended == 0 && DateTime.UtcNow < deadline)
            {
                gated.OnEnd(new Activity("once up"));
                await Task.Delay(50);
            }
            Assert.True(export.Ended > 0, "the gate never opened after the endpoint came up");
        }
        finally
        {
            listener.Stop();
        }
    }

    private sealed class CountingProcessor : BaseProcessor<Activity>
    {
        private int _ended;
        public int Ended => Volatile.Read(ref _ended);
        public override void OnEnd(Activity data) => Interlocked.Increment(ref _ended);
    }
}
