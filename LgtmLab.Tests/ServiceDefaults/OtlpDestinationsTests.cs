using LgtmLab.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace LgtmLab.Tests.ServiceDefaults;

public sealed class OtlpDestinationsTests
{
    private static IReadOnlyList<OtlpDestination> Parse(params (string Key, string Value)[] settings) =>
        OtlpDestinations.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void No_endpoint_means_no_otlp_exporter() => Assert.Empty(Parse());

    [Fact]
    public void The_standard_endpoint_is_the_primary_and_additional_ones_follow_with_their_protocol()
    {
        var destinations = Parse(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://localhost:21011"),
            ("LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS", " http://127.0.0.1:4317 ,http://alloy:4318/"), ("LGTMLAB_OTLP_ADDITIONAL_PROTOCOL", "http/protobuf"));

        Assert.Equal(3, destinations.Count);
        Assert.True(destinations[0].IsPrimary);
        Assert.Equal(new Uri("http://127.0.0.1:4317"), destinations[1].Endpoint);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, destinations[2].Protocol);
        Assert.NotEqual(destinations[1].Name, destinations[2].Name);
    }

    [Fact]
    public void An_additional_endpoint_gets_the_signal_path_no_primary_headers_and_a_short_timeout()
    {
        var destination = Parse(("LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS", "http://alloy:4318/"), ("LGTMLAB_OTLP_ADDITIONAL_PROTOCOL", "http/protobuf")).Single();
        var options = new OtlpExporterOptions { Headers = "x-otlp-api-key=secret", TimeoutMilliseconds = 10_000 };

        destination.Apply(options, "v1/traces");

        Assert.Equal(new Uri("http://alloy:4318/v1/traces"), options.Endpoint);
        Assert.Equal("", options.Headers ?? "");
        Assert.Equal(OtlpDestination.AdditionalTimeoutMilliseconds, options.TimeoutMilliseconds);
        Assert.Equal(OtlpExportProtocol.Grpc, Parse(("LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS", "http://a:4317")).Single().Protocol);
    }

    [Theory]
    [InlineData("alloy:4317", null, "'alloy:4317' is not an absolute http(s) URL")]
    [InlineData("http://a:4317", "http/json", "'http/json' is not a supported OTLP protocol")]
    public void Bad_settings_name_the_variable_and_the_fix(string endpoints, string? protocol, string message)
    {
        var settings = new List<(string, string)> { ("LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS", endpoints) };
        if (protocol is not null)
            settings.Add(("LGTMLAB_OTLP_ADDITIONAL_PROTOCOL", protocol));

        var error = Assert.Throws<InvalidOperationException>(() => Parse([.. settings]));

        Assert.Contains(message, error.Message);
        Assert.StartsWith("LGTMLAB_OTLP_ADDITIONAL_", error.Message);
    }
}
