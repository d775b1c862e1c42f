using System.Diagnostics;

namespace LgtmLab.TnsSample.Telemetry;

/// <summary>The names under which TNS's own spans and metrics are published.</summary>
internal static class TnsTelemetry
{
    /// <summary>The ActivitySource and Meter name; it is the application name, which ServiceDefaults subscribes to.</summary>
    public const string Name = "LgtmLab.TnsSample";

    public static readonly ActivitySource Source = new(Name);
}
