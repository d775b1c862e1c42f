using System.Diagnostics;
using LgtmLab.ServiceDefaults.Health;
using LgtmLab.TnsSample.Logging;
using LgtmLab.TnsSample.Telemetry;
using Microsoft.AspNetCore.Http.Features;

namespace LgtmLab.TnsSample.Http;

/// <summary>
/// weaveworks/common's Log and Instrument middleware in one: the request log line (debug for 1xx-4xx, 502 and
/// 503; warn with the response body and request headers for other 5xx) and the <c>tns_request_*</c> and
/// <c>tns_inflight_requests</c> metrics, labelled by route. The health endpoints are not TNS routes and are left out.
/// </summary>
internal sealed class TnsRequestMiddleware(RequestDelegate next, RequestMetrics metrics, InflightRequests inflight, ILoggerFactory loggerFactory)
{
    private const int MaxResponseBodyInLogs = 4096;
    private readonly ILogger _logger = loggerFactory.CreateLogger(TnsLog.Category);

    public async Task InvokeAsync(HttpContext context)
    {
        if (HealthEndpoints.IsHealthRequest(context))
        {
            await next(context);
            return;
        }

        var request = context.Request;
        var response = context.Response;
        var method = request.Method;
        var route = RouteLabel.Of(context) ?? "other";
        var uri = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var ws = IsWebSocketHandshake(request) ? "true" : "false";
        var traceId = TraceIds.Current();

        long requestBytes = 0, responseBytes = 0;
        var badResponse = new MemoryStream();
        var originalRequestBody = request.Body;
        var originalResponseBody = response.Body;
        request.Body = new ObservedStream(originalRequestBody, read => requestBytes += read.Length);
        response.Body = new ObservedStream(originalResponseBody, written =>
        {
            responseBytes += written.Length;
            if (response.StatusCode >= 500 && badResponse.Length < MaxResponseBodyInLogs)
                badResponse.Write(written[..(int)Math.Min(written.Length, MaxResponseBodyInLogs - badResponse.Length)]);
        });

        var routeTags = new TagList { { "method", method }, { "route", route } };
        var inflightScope = inflight.Enter(method, route);
        var start = Stopwatch.GetTimestamp();
        var cancelled = false;
        var failed = false;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            request.Body = originalRequestBody;
            response.Body = originalResponseBody;
            inflightScope.Dispose();

            var status = failed && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
            metrics.RequestBytes.Record(requestBytes, routeTags);
            metrics.ResponseBytes.Record(responseBytes, routeTags);
            metrics.Duration.Record(elapsed.TotalSeconds, new TagList
            {
                { "method", method }, { "route", route }, { "status_code", status.ToString(System.Globalization.CultureInfo.InvariantCulture) }, { "ws", ws },
            });

            var duration = GoDuration.From(elapsed);
            // Dumped only for the lines that show them (handlers never change request headers).
            string Headers() => HeaderDump.Of(request.Headers);
            if (cancelled)
                Log(LogLevel.Debug, traceId, $"{method} {uri} {duration}, request cancelled: context canceled ws: {ws}; {Headers()}");
            else if (status is >= 100 and < 500 or StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable)
                Log(LogLevel.Debug, traceId, $"{method} {uri} ({status}) {duration}");
            else
                Log(LogLevel.Warning, traceId, $"{method} {uri} ({status}) {duration} Response: {GoQuote.Bytes(badResponse.ToArray())} ws: {ws}; {Headers()}");
        }
    }

    private void Log(LogLevel level, string? traceId, string message)
    {
        if (traceId is null)
            _logger.Logfmt(level, ("msg", message));
        else
            _logger.Logfmt(level, ("traceID", traceId), ("msg", message));
    }

    private static bool IsWebSocketHandshake(HttpRequest request) =>
        string.Equals(request.Headers.Upgrade.ToString(), "websocket", StringComparison.OrdinalIgnoreCase)
        && request.Headers.Connection.ToString().Split(',').Any(p => string.Equals(p.Trim(), "upgrade", StringComparison.OrdinalIgnoreCase));
}
