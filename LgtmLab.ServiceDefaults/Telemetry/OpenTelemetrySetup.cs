using System.Diagnostics;
using LgtmLab.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LgtmLab.ServiceDefaults.Telemetry;

internal static class OpenTelemetrySetup
{
    public static void AddLgtmLabOpenTelemetry(this IHostApplicationBuilder builder, string? defaultServiceName)
    {
        var destinations = OtlpDestinations.FromConfiguration(builder.Configuration);
        var sourceName = builder.Environment.ApplicationName;
        var gates = destinations.Where(d => !d.IsPrimary).ToDictionary(d => d.Name!, d => new EndpointGate(d.Endpoint!));

        var otel = builder.Services.AddOpenTelemetry();
        if (defaultServiceName is not null && string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
            otel.ConfigureResource(resource => resource.AddService(defaultServiceName));

        // Named OTLP options are shared by every signal that uses the name: each signal gets its own name, or
        // the last signal's endpoint path would win for all three.
        otel.WithTracing(tracing =>
        {
            tracing.AddSource(sourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !HealthEndpoints.IsHealthRequest(context))
                .AddHttpClientInstrumentation();
            foreach (var destination in destinations)
            {
                if (destination.IsPrimary)
                    tracing.AddOtlpExporter(o => destination.Apply(o, "v1/traces"));
                else
                    tracing.AddProcessor(_ => new GatedProcessor<Activity>(gates[destination.Name!],
                        new BatchActivityExportProcessor(new OtlpTraceExporter(destination.Options("v1/traces")))));
            }
        });

        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(sourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .DropPerConnectionMetrics()
                .SetExemplarFilter(ExemplarFilterType.TraceBased)
                .AddPrometheusExporter(o =>
                {
                    // No response cache: a scrape right after a request must see it.
                    o.ScrapeResponseCacheDurationMilliseconds = 0;
                    // Series look as a Prometheus client library writes them (no otel_scope_name label); the
                    // scope stays visible over OTLP.
                    o.ScopeInfoEnabled = false;
                });
            foreach (var destination in destinations)
            {
                if (destination.IsPrimary)
                    metrics.AddOtlpExporter((o, _) => destination.Apply(o, "v1/metrics"));
                else
                    metrics.AddOtlpExporter(destination.Name + "-metrics", (o, _) => destination.Apply(o, "v1/metrics"));
            }
        });

        otel.WithLogging(
            logging =>
            {
                foreach (var destination in destinations)
                {
                    if (destination.IsPrimary)
                        logging.AddOtlpExporter(o => destination.Apply(o, "v1/logs"));
                    else
                        logging.AddProcessor(_ => new GatedProcessor<LogRecord>(gates[destination.Name!],
                            new BatchLogRecordExportProcessor(new OtlpLogExporter(destination.Options("v1/logs")))));
                }
            },
            options =>
            {
                options.IncludeFormattedMessage = true;
                // Scopes would copy ASP.NET's and HttpClient's per-request scopes into every record: allocations
                // on the hot path for attributes the record's own trace context already links to.
                options.IncludeScopes = false;
            });
    }
}
