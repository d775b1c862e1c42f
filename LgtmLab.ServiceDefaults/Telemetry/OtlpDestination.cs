using OpenTelemetry.Exporter;

namespace LgtmLab.ServiceDefaults.Telemetry;

/// <summary>One OTLP endpoint that receives all three signals.</summary>
/// <param name="Name">The options name of its exporters (<see langword="null"/> for the primary: the unnamed,
/// environment-configured OTLP options).</param>
/// <param name="Endpoint">The base URL, without a signal path; <see langword="null"/> for the primary (the
/// exporter reads <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> itself).</param>
/// <param name="Protocol">grpc or http/protobuf; <see langword="null"/> for the primary.</param>
internal sealed record OtlpDestination(string? Name, Uri? Endpoint, OtlpExportProtocol? Protocol)
{
    /// <summary>
    /// Export timeout of an additional endpoint: an endpoint that hangs costs the background exporter at most
    /// this long per batch, and batches queue up (bounded) meanwhile instead of blocking anything.
    /// </summary>
    public const int AdditionalTimeoutMilliseconds = 3000;

    public bool IsPrimary => Name is null;

    /// <summary>New exporter options for one signal of an additional destination.</summary>
    public OtlpExporterOptions Options(string signalPath)
    {
        var options = new OtlpExporterOptions();
        Apply(options, signalPath);
        return options;
    }

    /// <summary>Applies this destination to an exporter's options for one signal (e.g. <c>v1/traces</c>).</summary>
    public void Apply(OtlpExporterOptions options, string signalPath)
    {
        if (!IsPrimary)
        {
            options.Protocol = Protocol!.Value;
            options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf ? WithPath(Endpoint!, signalPath) : Endpoint!;
            // The environment's OTEL_EXPORTER_OTLP_HEADERS belong to the primary (Aspire puts the dashboard's
            // API key there); they must not leave for another endpoint.
            options.Headers = string.Empty;
            options.TimeoutMilliseconds = AdditionalTimeoutMilliseconds;
        }

        // A plain client: the factory's default clients carry the standard resilience handler (retries, 30 s
        // total timeout), which an exporter must not have.
        var timeout = TimeSpan.FromMilliseconds(options.TimeoutMilliseconds);
        options.HttpClientFactory = () => new HttpClient { Timeout = timeout };
    }

    private static Uri WithPath(Uri baseUri, string signalPath)
    {
        var text = baseUri.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text + signalPath : text + "/" + signalPath);
    }
}
