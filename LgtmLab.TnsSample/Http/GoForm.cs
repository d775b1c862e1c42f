using System.Net.Http.Headers;
using System.Text;

namespace LgtmLab.TnsSample.Http;

/// <summary>
/// Go's <c>Request.ParseForm</c>: the query string and, for POST/PUT/PATCH with
/// <c>application/x-www-form-urlencoded</c>, the body (at most 10 MB). Malformed input is an error with Go's
/// message, never an exception.
/// </summary>
internal sealed class GoForm
{
    /// <summary>Go's limit for url-encoded bodies.</summary>
    public const int MaxBodyBytes = 10 << 20;

    private readonly Dictionary<string, List<string>> _postForm;
    private readonly Dictionary<string, List<string>> _query;

    private GoForm(Dictionary<string, List<string>> postForm, Dictionary<string, List<string>> query)
    {
        _postForm = postForm;
        _query = query;
    }

    /// <summary>The first body value of <paramref name="key"/> (<c>r.PostForm.Get</c>), or empty.</summary>
    public string PostValue(string key) => _postForm.TryGetValue(key, out var v) ? v[0] : "";

    /// <summary>The first value from the body, then the query (<c>r.Form.Get</c>), or empty.</summary>
    public string Value(string key) =>
        _postForm.TryGetValue(key, out var v) ? v[0] : _query.TryGetValue(key, out var q) ? q[0] : "";

    public static async Task<(GoForm Form, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string? error = null;
        var postForm = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
        {
            var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType : null;
            if (mediaType == "application/x-www-form-urlencoded")
            {
                var (body, bodyError) = await ReadBodyAsync(request, cancellationToken);
                error = bodyError ?? Parse(body, postForm);
            }
        }

        var query = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var rawQuery = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var queryError = Parse(rawQuery, query);
        return (new GoForm(postForm, query), error ?? queryError);
    }

    private static async Task<(string Body, string? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                    return ("", "http: POST too large");
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own body limit, or a malformed chunked body.
            return ("", e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "http: POST too large" : e.Message);
        }
        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
    }

    /// <summary>Go's <c>url.ParseQuery</c>: keeps going after a bad pair and returns the first error.</summary>
    internal static string? Parse(string text, Dictionary<string, List<string>> values)
    {
        string? firstError = null;
        foreach (var pair in text.Split('&'))
        {
            if (pair.Length == 0)
                continue;
            if (pair.Contains(';', StringComparison.Ordinal))
            {
                firstError ??= "invalid semicolon separator in query";
                continue;
            }
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var rawKey = equals < 0 ? pair : pair[..equals];
            var rawValue = equals < 0 ? "" : pair[(equals + 1)..];
            var key = Unescape(rawKey, out var keyError);
            if (keyError is not null)
            {
                firstError ??= keyError;
                continue;
            }
            var value = Unescape(rawValue, out var valueError);
            if (valueError is not null)
            {
                firstError ??= valueError;
                continue;
            }
            if (!values.TryGetValue(key, out var list))
                values[key] = list = [];
            list.Add(value);
        }
        return firstError;
    }

    /// <summary>Go's <c>url.QueryUnescape</c>: <c>+</c> is a space, <c>%XX</c> a byte, anything else after % an error.</summary>
    internal static string Unescape(string text, out string? error)
    {
        error = null;
        if (text.IndexOfAny(['%', '+']) < 0)
            return text;
        var input = Encoding.UTF8.GetBytes(text);
        var output = new byte[input.Length];
        var n = 0;
        for (var i = 0; i < input.Length; i++)
        {
            switch (input[i])
            {
                case (byte)'+':
                    output[n++] = (byte)' ';
                    break;
                case (byte)'%' when i + 2 < input.Length && IsHex(input[i + 1]) && IsHex(input[i + 2]):
                    output[n++] = (byte)(HexValue(input[i + 1]) * 16 + HexValue(input[i + 2]));
                    i += 2;
                    break;
                case (byte)'%':
                    error = $"invalid URL escape \"{Encoding.UTF8.GetString(input, i, Math.Min(3, input.Length - i))}\"";
                    return "";
                default:
                    output[n++] = input[i];
                    break;
            }
        }
        return Encoding.UTF8.GetString(output, 0, n);
    }

    private static bool IsHex(byte b) => Uri.IsHexDigit((char)b);

    private static int HexValue(byte b) => Uri.FromHex((char)b);
}
