using System.Text.RegularExpressions;

namespace LgtmLab.TnsSample.Roles.App;

/// <summary>
/// What app's <c>/post</c> does to a submitted URL, after Go's <c>url.Parse</c>: control characters and bad
/// <c>%</c> escapes are errors; any scheme other than http/https becomes http (a URL without one gets
/// <c>http://</c>). The result is what is stored and hashed into the link id.
/// </summary>
internal static partial class StoryUrl
{
    public static (string? Url, string? Error) Normalize(string url)
    {
        foreach (var c in url)
        {
            if (c < ' ' || c == '\u007F')
                return (null, $"parse \"{url}\": net/url: invalid control character in URL");
        }
        // Go leaves the query raw; the path (and host) must unescape.
        var query = url.IndexOf('?', StringComparison.Ordinal);
        if (BadEscape().Match(query < 0 ? url : url[..query]) is { Success: true } bad)
            return (null, $"parse \"{url}\": invalid URL escape \"{bad.Value}\"");

        var scheme = Scheme().Match(url);
        if (scheme.Success)
        {
            var name = scheme.Groups["scheme"].Value.ToLowerInvariant();
            var rest = url[scheme.Length..];
            return (name is "http" or "https" ? name + ":" + rest : "http:" + rest, null);
        }
        if (url.StartsWith(':'))
            return (null, $"parse \"{url}\": missing protocol scheme");
        return (url.StartsWith("//", StringComparison.Ordinal) ? "http:" + url : "http://" + url, null);
    }

    [GeneratedRegex("%(?![0-9A-Fa-f]{2}).{0,2}")]
    private static partial Regex BadEscape();

    // A scheme as Go reads one: a letter, then letters, digits, + - . up to the first colon.
    [GeneratedRegex("^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex Scheme();
}
