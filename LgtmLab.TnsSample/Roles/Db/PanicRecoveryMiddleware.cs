using LgtmLab.TnsSample.Logging;

namespace LgtmLab.TnsSample.Roles.Db;

/// <summary>
/// db's <c>handlePanic</c>: any exception from a handler is logged as <c>level=error err=...</c> (no msg, no
/// traceID) and answered 500 with an empty body. It runs inside the request metrics, so it counts as a 500.
/// </summary>
internal sealed class PanicRecoveryMiddleware(RequestDelegate next, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(TnsLog.Category);

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            _logger.Logfmt(LogLevel.Error, ("err", e.Message));
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }
}
