namespace LgtmLab.ServiceDefaults.Telemetry;

internal static class PrometheusDefaults
{
    public const string ScrapePath = "/metrics";
}
