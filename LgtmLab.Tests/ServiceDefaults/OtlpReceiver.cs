using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.ServiceDefaults;

/// <summary>An OTLP/HTTP (protobuf) receiver on 127.0.0.1 that keeps every export it gets.</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<OtlpExport> exports = new();

    private OtlpReceiver(WebApplication app) => this.app = app;

    /// <summary>The base URL to give as an OTLP endpoint, e.g. http://127.0.0.1:40123.</summary>
    public string Url { get; private set; } = "";

    public IReadOnlyList<OtlpExport> Exports => [.. exports];

    public IEnumerable<OtlpSpan> Spans => Exports.Where(e => e.Signal == "traces").SelectMany(e => OtlpProto.Spans(e.Body));

    public IEnumerable<OtlpLogRecord> Logs => Exports.Where(e => e.Signal == "logs").SelectMany(e => OtlpProto.Logs(e.Body));

    public IEnumerable<(string Service, string Metric)> Metrics => Exports.Where(e => e.Signal == "metrics").SelectMany(e => OtlpProto.MetricNames(e.Body));

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            receiver.exports.Enqueue(new OtlpExport(signal, headers, body.ToArray()));
            // An empty Export*ServiceResponse is an empty protobuf message.
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
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
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

public sealed record OtlpExport(string Signal, IReadOnlyDictionary<string, string> Headers, byte[] Body);
