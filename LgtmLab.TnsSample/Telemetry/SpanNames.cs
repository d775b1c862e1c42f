using LgtmLab.TnsSample.Http;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Instrumentation.Http;

namespace LgtmLab.TnsSample.Telemetry;

/// <summary>Names spans as TNS's OpenTracing middleware does.</summary>
internal static class SpanNames
{
    /// <summary>
    /// Server spans <c>HTTP GET - root</c> (<c>HTTP &lt;METHOD&gt;</c> when no route matched); the client spans
    /// under TNS's <c>HTTP Client</c> span <c>HTTP GET</c>. Set when the request ends, after the instrumentation
    /// has named the span its own way.
    /// </summary>
    public static void AddTnsSpanNames(this IServiceCollection services)
    {
        services.Configure<AspNetCoreTraceInstrumentationOptions>(o => o.EnrichWithHttpResponse = (activity, response) =>
            activity.DisplayName = Server(response.HttpContext.Request.Method, RouteLabel.Of(response.HttpContext)));
        services.Configure<HttpClientTraceInstrumentationOptions>(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
            activity.DisplayName = "HTTP " + request.Method.Method);
    }

    public static string Server(string method, string? route) => route is null ? $"HTTP {method}" : $"HTTP {method} - {route}";
}
