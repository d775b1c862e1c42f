using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.ServiceDefaults;

/// <summary>
/// An OTLP receiver on 127.0.0.1 that keeps every export it gets: OTLP/HTTP (protobuf) on <see cref="Url"/>,
/// OTLP/gRPC (HTTP/2 without TLS, as the Aspire dashboard and Alloy speak it) on <see cref="GrpcUrl"/>.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpExport> _exports = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The base URL to give as an OTLP/HTTP endpoint, e.g. http://127.0.0.1:40123.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The URL to give as an OTLP/gRPC endpoint.</summary>
    public string GrpcUrl { get; private set; } = "";

    public IReadOnlyList<OtlpExport> Exports => [.. _exports];

    public IEnumerable<OtlpSpan> Spans => Exports.Where(e => e.Signal == "traces").SelectMany(e => OtlpProto.Spans(e.Body));

    public IEnumerable<OtlpLogRecord> Logs => Exports.Where(e => e.Signal == "logs").SelectMany(e => OtlpProto.Logs(e.Body));

    public IEnumerable<(string Service, string Metric)> Metrics => Exports.Where(e => e.Signal == "metrics").SelectMany(e => OtlpProto.MetricNames(e.Body));

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            receiver._exports.Enqueue(new OtlpExport(signal, headers, body.ToArray()));
            // An empty Export*ServiceResponse is an empty protobuf message.
            context.Response.ContentType = "application/x-protobuf";
        });
        // gRPC: /opentelemetry.proto.collector.<signal>.v1.<Service>/Export, one length-prefixed message each way.
        app.MapPost("/opentelemetry.proto.collector.{signal}.v1.{service}/Export", async (HttpContext context, string signal) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            receiver._exports.Enqueue(new OtlpExport(signal == "trace" ? "traces" : signal, headers, body.ToArray()[5..]));
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
        });
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        receiver.Url = addresses[0];
        receiver.GrpcUrl = addresses[1];
        return receiver;
    }

    /// <summary>Polls until the received telemetry satisfies a condition.</summary>
    public async Task WaitUntilAsync(Func<OtlpReceiver, bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"OTLP receiver: {what} did not arrive in {timeout.TotalSeconds} s; got {Exports.Count} exports " +
                    $"({string.Join(", ", Exports.GroupBy(e => e.Signal).Select(g => $"{g.Key}: {g.Count()}"))}), spans: " +
                    string.Join("; ", Spans.Select(s => $"{s.Service}/{s.Name}").Distinct().Take(30)) + "; some logs: " +
                    string.Join("; ", Logs.Take(8).Select(l => $"{l.Service} body={l.Body} trace={l.TraceId} {string.Join(',', l.Attributes.Select(a => a.Key + "=" + a.Value))}")));
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record OtlpExport(string Signal, IReadOnlyDictionary<string, string> Headers, byte[] Body);
