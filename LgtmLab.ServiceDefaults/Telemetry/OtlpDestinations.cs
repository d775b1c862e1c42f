using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace LgtmLab.ServiceDefaults.Telemetry;

/// <summary>
/// Where OTLP telemetry goes, from the environment:
/// <list type="bullet">
/// <item><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (+ <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>
/// and the other standard variables): the primary endpoint, normally the Aspire dashboard.</item>
/// <item><c>LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS</c>: comma-separated absolute http(s) URLs that get the same traces,
/// metrics and logs, e.g. <c>http://127.0.0.1:4317</c>; <c>LGTMLAB_OTLP_ADDITIONAL_PROTOCOL</c> is their protocol,
/// <c>grpc</c> (default) or <c>http/protobuf</c> (then the signal paths <c>/v1/traces</c>, <c>/v1/metrics</c>,
/// <c>/v1/logs</c> are appended to each URL).</item>
/// </list>
/// </summary>
public static class OtlpDestinations
{
    /// <summary>The variable holding the additional endpoints.</summary>
    public const string AdditionalEndpointsKey = "LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS";

    /// <summary>The variable holding the additional endpoints' protocol.</summary>
    public const string AdditionalProtocolKey = "LGTMLAB_OTLP_ADDITIONAL_PROTOCOL";

    /// <summary>The standard variable holding the primary endpoint.</summary>
    public const string PrimaryEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    internal static IReadOnlyList<OtlpDestination> FromConfiguration(IConfiguration configuration)
    {
        var destinations = new List<OtlpDestination>();
        if (!string.IsNullOrWhiteSpace(configuration[PrimaryEndpointKey]))
            destinations.Add(new OtlpDestination(null, null, null));

        var additional = configuration[AdditionalEndpointsKey];
        if (string.IsNullOrWhiteSpace(additional))
            return destinations;

        var protocol = ParseProtocol(configuration[AdditionalProtocolKey]);
        var urls = additional.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < urls.Length; i++)
            destinations.Add(new OtlpDestination($"lgtmlab-additional-{i}", ParseEndpoint(urls[i]), protocol));
        return destinations;
    }

    private static Uri ParseEndpoint(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri;
        throw new InvalidOperationException(
            $"{AdditionalEndpointsKey}: '{url}' is not an absolute http(s) URL. Give comma-separated URLs such as http://127.0.0.1:4317.");
    }

    private static OtlpExportProtocol ParseProtocol(string? value) => value?.Trim() switch
    {
        null or "" or "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => throw new InvalidOperationException(
            $"{AdditionalProtocolKey}: '{value}' is not a supported OTLP protocol. Use grpc (the default) or http/protobuf."),
    };
}
