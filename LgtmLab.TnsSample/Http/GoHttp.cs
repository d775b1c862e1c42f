namespace LgtmLab.TnsSample.Http;

/// <summary>Responses written the way Go's net/http writes them.</summary>
internal static class GoHttp
{
    public const string TextPlain = "text/plain; charset=utf-8";

    /// <summary>Go's <c>http.Error</c>: plain text, nosniff, the message and a newline.</summary>
    public static Task Error(HttpResponse response, string message, int statusCode)
    {
        response.StatusCode = statusCode;
        response.ContentType = TextPlain;
        response.Headers.XContentTypeOptions = "nosniff";
        return response.WriteAsync(message + "\n");
    }

    /// <summary>A status and a body written as <c>fmt.Fprintf(w, "%s\n", body)</c>, content type sniffed as text.</summary>
    public static async Task Text(HttpResponse response, int statusCode, ReadOnlyMemory<byte> body)
    {
        response.StatusCode = statusCode;
        response.ContentType = TextPlain;
        await response.Body.WriteAsync(body);
        await response.Body.WriteAsync("\n"u8.ToArray());
    }

    /// <summary>
    /// TNS's post/redirect/get: <c>http.Redirect</c> is called with the outbound request to db, a POST, so Go
    /// writes only the status and a Location of <c>/</c>, with no body.
    /// </summary>
    public static void RedirectToIndex(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status302Found;
        response.Headers.Location = "/";
    }
}
