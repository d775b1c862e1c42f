using System.Diagnostics;
using System.Text.Json;
using LgtmLab.TnsSample.Http;
using LgtmLab.TnsSample.Logging;

namespace LgtmLab.TnsSample.Roles.Db;

/// <summary>db's routes: <c>/</c> fetch, <c>/post</c>, <c>/vote</c>, <c>/fail</c> (any method, as TNS).</summary>
internal sealed class DbHandlers(LinkStore store, FaultWindow faultWindow, DbMetrics metrics, ILoggerFactory loggerFactory)
{
    // Go's encoding/json matches field names case-insensitively.
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };
    private readonly ILogger _logger = loggerFactory.CreateLogger(TnsLog.Category);

    public async Task Fetch(HttpContext context)
    {
        var traceId = TraceIds.CurrentOrEmpty();
        metrics.Fetches.Add(1);

        await store.Lock.WaitAsync();
        try
        {
            // The sleep happens under the lock: the window slows every concurrent fetch too.
            if (faultWindow.NextFault() is { } fault)
            {
                await Task.Delay(FaultWindow.Delay);
                throw new DbPanic(fault);
            }

            if (store.Failing)
            {
                _logger.Logfmt(LogLevel.Error, ("err", "spline matriculation failed"), ("traceID", traceId));
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = GoHttp.TextPlain;
            await JsonSerializer.SerializeAsync(context.Response.Body, new { Links = store.Top() });
            await context.Response.WriteAsync("\n");
        }
        finally
        {
            store.Lock.Release();
        }
    }

    public async Task Post(HttpContext context)
    {
        var traceId = TraceIds.CurrentOrEmpty();
        var start = Stopwatch.GetTimestamp();
        try
        {
            var (decoded, link) = await DecodeOrRejectAsync<Link>(context, traceId);
            if (!decoded)
                return;

            await store.Lock.WaitAsync();
            try
            {
                if (!store.TryAdd(link ?? new Link()))
                {
                    await GoHttp.Error(context.Response, "post exists", StatusCodes.Status208AlreadyReported);
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status204NoContent;
            }
            finally
            {
                store.Lock.Release();
            }
        }
        finally
        {
            metrics.PostTime.Record(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    public async Task Vote(HttpContext context)
    {
        var traceId = TraceIds.CurrentOrEmpty();
        var start = Stopwatch.GetTimestamp();
        try
        {
            var (decoded, vote) = await DecodeOrRejectAsync<VoteRequest>(context, traceId);
            if (!decoded)
                return;

            await store.Lock.WaitAsync();
            try
            {
                // TNS dereferences a nil *Link for an unknown id: a panic, turned into a 500.
                var link = store.Find(vote?.ID ?? 0) ?? throw new DbPanic(DbPanic.NilPointer);
                link.Points++;
                context.Response.StatusCode = StatusCodes.Status204NoContent;
            }
            finally
            {
                store.Lock.Release();
            }
        }
        finally
        {
            metrics.VoteTime.Record(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    public async Task Fail(HttpContext context)
    {
        await store.Lock.WaitAsync();
        try
        {
            store.Failing = !store.Failing;
            _logger.Logfmt(LogLevel.Information, ("msg", "toggled fail flag"), ("fail", store.Failing));
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = GoHttp.TextPlain;
            await context.Response.WriteAsync(store.Failing ? "failing: true\n" : "failing: false\n");
        }
        finally
        {
            store.Lock.Release();
        }
    }

    /// <summary>Decodes the body, or answers 400 with TNS's "error decoding link" line (db logs it for votes too).</summary>
    private async Task<(bool Decoded, T? Value)> DecodeOrRejectAsync<T>(HttpContext context, string traceId) where T : class
    {
        var (value, error) = await DecodeAsync<T>(context.Request);
        if (error is null)
            return (true, value);
        _logger.Logfmt(LogLevel.Error, ("msg", "error decoding link"), ("err", error), ("traceID", traceId));
        await GoHttp.Error(context.Response, error, StatusCodes.Status400BadRequest);
        return (false, default);
    }

    private static async Task<(T? Value, string? Error)> DecodeAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, Json), null);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's 10 MB cap (Go's MaxBytesReader wording), or a malformed body.
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "http: request body too large" : e.Message);
        }
    }

    private sealed record VoteRequest(long ID);
}
