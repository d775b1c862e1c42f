using System.Diagnostics;
using System.Globalization;
using LgtmLab.TnsSample.Logging;
using LgtmLab.TnsSample.Telemetry;

namespace LgtmLab.TnsSample.Http;

/// <summary>
/// TNS's instrumented HTTP client (<c>client.New</c>): no keep-alive, no retries, redirects followed; one
/// <c>HTTP Client</c> span around each call (the handler's <c>HTTP GET</c>/<c>HTTP POST</c> spans, one per
/// redirect hop, are its children), one <c>HTTP client success</c>/<c>HTTP client error</c> log line and one
/// <c>tns_client_request_duration_seconds</c> observation.
/// </summary>
internal sealed class TnsHttpClient(HttpClient http, ClientMetrics metrics, ILoggerFactory loggerFactory)
{
    /// <summary>The name of its HttpClient registration (service discovery yes, resilience no).</summary>
    public const string Name = "tns";

    private readonly ILogger _logger = loggerFactory.CreateLogger(TnsLog.Category);

    /// <summary>Sends the request; the response's body is not yet read (the caller disposes it).</summary>
    /// <exception cref="TnsClientError">No response: the message is what TNS writes into its 503 body.</exception>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Taken from the caller's span, before the client span starts: in loadgen there is none, so "".
        var traceId = TraceIds.CurrentOrEmpty();
        var url = request.RequestUri!.OriginalString;
        var method = request.Method.Method;
        request.Headers.ConnectionClose = true;

        using var span = TnsTelemetry.Source.StartActivity("HTTP Client");
        span?.SetTag("component", "net/http");
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(start);
            var status = (int)response.StatusCode;
            _logger.Logfmt(LogLevel.Information,
                ("msg", "HTTP client success"), ("status_code", status), ("url", url), ("duration", GoDuration.From(elapsed)), ("traceID", traceId));
            metrics.Record(method, status.ToString(CultureInfo.InvariantCulture), elapsed.TotalSeconds);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            // Go's url.Error: the method as "Get"/"Post", the quoted URL, the cause.
            var error = $"{method[0]}{method[1..].ToLowerInvariant()} \"{url}\": {e.Message}";
            _logger.Logfmt(LogLevel.Error,
                ("msg", "HTTP client error"), ("error", error), ("url", url), ("duration", GoDuration.From(elapsed)), ("traceID", traceId));
            metrics.Record(method, "error", elapsed.TotalSeconds);
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new TnsClientError(error, e);
        }
    }
}
