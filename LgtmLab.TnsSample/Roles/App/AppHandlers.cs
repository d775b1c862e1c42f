using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LgtmLab.TnsSample.Http;
using LgtmLab.TnsSample.Logging;

namespace LgtmLab.TnsSample.Roles.App;

/// <summary>app's routes: <c>/</c> the page, <c>/post</c> a new link, <c>/vote</c> an up-vote (any method, as TNS).</summary>
internal sealed class AppHandlers(DbPeers dbs, TnsHttpClient client, ILoggerFactory loggerFactory)
{
    private const int MaxDbBodyInError = 1024;
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };
    private readonly ILogger _logger = loggerFactory.CreateLogger(TnsLog.Category);

    public async Task Index(HttpContext context)
    {
        // TNS logs a failed fetch without the trace id.
        using var response = await SendToDbAsync(context, new HttpRequestMessage(HttpMethod.Get, dbs.Pick()), traceId: null);
        if (response is null)
            return;

        DbLinks? links;
        try
        {
            links = await JsonSerializer.DeserializeAsync<DbLinks>(await response.Content.ReadAsStreamAsync(context.RequestAborted), Json, context.RequestAborted);
        }
        catch (JsonException e)
        {
            _logger.Logfmt(LogLevel.Error, ("msg", "failed to parse db response"), ("err", e.Message));
            await GoHttp.Error(context.Response, e.Message, StatusCodes.Status500InternalServerError);
            return;
        }

        var entries = (links?.Links ?? []).Select((l, i) => new IndexPage.Entry(l.ID, i + 1, l.Points, l.URL ?? "", l.Title ?? "")).ToList();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(IndexPage.Render(entries), context.RequestAborted);
    }

    public async Task Post(HttpContext context)
    {
        var traceId = TraceIds.CurrentOrEmpty();
        var (form, formError) = await GoForm.ReadAsync(context.Request, context.RequestAborted);
        if (formError is not null)
        {
            await RejectAsync(context, formError, ("msg", "error parsing form"), ("err", formError), ("traceID", traceId));
            return;
        }

        var submitted = form.PostValue("url").Trim();
        if (submitted.Length == 0)
        {
            await RejectAsync(context, "empty url", ("msg", "empty url"));
            return;
        }

        var (url, urlError) = StoryUrl.Normalize(submitted);
        if (urlError is not null)
        {
            await RejectAsync(context, urlError, ("msg", "invalid url"), ("url", submitted), ("err", urlError), ("traceID", traceId));
            return;
        }

        var title = form.PostValue("title").Trim();
        if (title.Length == 0)
        {
            // "empty url" for an empty title: TNS's own copy-paste slip, kept so its log queries still match.
            await RejectAsync(context, "empty title", ("msg", "empty url"));
            return;
        }

        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(url!));
        var id = (hash[0] << 8) | hash[1];
        var body = JsonSerializer.SerializeToUtf8Bytes(new { ID = id, URL = url, Title = title });
        await ForwardAsync(context, "/post", body, traceId);
    }

    public async Task Vote(HttpContext context)
    {
        var traceId = TraceIds.CurrentOrEmpty();
        var (form, formError) = await GoForm.ReadAsync(context.Request, context.RequestAborted);
        if (formError is not null)
        {
            await RejectAsync(context, formError, ("msg", "error parsing form"), ("err", formError), ("traceID", traceId));
            return;
        }

        var idText = form.Value("id");
        if (!long.TryParse(idText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            var reason = idText.Length > 0 && idText.TrimStart('+', '-').All(char.IsAsciiDigit) ? "value out of range" : "invalid syntax";
            await RejectAsync(context, "invalid id", ("msg", "invalid id"), ("err", $"strconv.Atoi: parsing \"{idText}\": {reason}"), ("traceID", traceId));
            return;
        }

        await ForwardAsync(context, "/vote", JsonSerializer.SerializeToUtf8Bytes(new { ID = id }), traceId);
    }

    /// <summary>TNS's answer to bad input: its error line, then a 400 with <paramref name="error"/>.</summary>
    private async Task RejectAsync(HttpContext context, string error, params (string Key, object? Value)[] line)
    {
        _logger.Logfmt(LogLevel.Error, line);
        await GoHttp.Error(context.Response, error, StatusCodes.Status400BadRequest);
    }

    /// <summary>POSTs the JSON to db, then answers as TNS: 503 without a response, 500 with db's error, else 302 to /.</summary>
    private async Task ForwardAsync(HttpContext context, string path, byte[] json, string traceId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, dbs.Pick() + path)
        {
            // Go's encoder ends the document with a newline; TNS sets no content type.
            Content = new ByteArrayContent([.. json, (byte)'\n']),
        };
        using var response = await SendToDbAsync(context, request, traceId);
        if (response is not null)
            GoHttp.RedirectToIndex(context.Response);
    }

    /// <summary>
    /// Sends a request to db and returns its 2xx response; otherwise answers as TNS (503 with the transport error,
    /// or a logged 500 with the start of db's body) and returns null.
    /// </summary>
    private async Task<HttpResponseMessage?> SendToDbAsync(HttpContext context, HttpRequestMessage request, string? traceId)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, context.RequestAborted);
        }
        catch (TnsClientError e)
        {
            await GoHttp.Text(context.Response, StatusCodes.Status503ServiceUnavailable, Encoding.UTF8.GetBytes(e.Message));
            return null;
        }
        if ((int)response.StatusCode / 100 == 2)
            return response;

        using (response)
        {
            var body = await ReadPrefixAsync(response, context.RequestAborted);
            if (traceId is null)
                _logger.Logfmt(LogLevel.Error, ("msg", "HTTP request failed"), ("status", (int)response.StatusCode), ("body", body));
            else
                _logger.Logfmt(LogLevel.Error, ("msg", "HTTP request failed"), ("status", (int)response.StatusCode), ("body", body), ("traceID", traceId));
            await GoHttp.Text(context.Response, StatusCodes.Status500InternalServerError, body);
            return null;
        }
    }

    private static async Task<byte[]> ReadPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxDbBodyInError];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            total += read;
        return buffer[..total];
    }

    private sealed record DbLinks(List<DbLink>? Links);

#pragma warning disable CA1056 // the wire name is TNS's "URL", a string
    private sealed record DbLink(long ID, long Points, string? URL, string? Title);
#pragma warning restore CA1056
}
