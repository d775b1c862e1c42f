using System.Text.RegularExpressions;

namespace LgtmLab.TnsSample.Http;

/// <summary>The <c>route</c> label weaveworks/common derives from the matched route's path template.</summary>
internal static partial class RouteLabel
{
    /// <summary>The label of the matched route (<c>/</c> is <c>root</c>, <c>/post</c> is <c>post</c>), or
    /// <see langword="null"/> when no route matched.</summary>
    public static string? Of(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template ? MakeLabelValue(template) : null;

    /// <summary>Non-alphanumerics to <c>_</c>, trimmed, lower case, empty becomes <c>root</c>.</summary>
    public static string MakeLabelValue(string path)
    {
        var label = NonAlphanumeric().Replace(path, "_").Trim('_').ToLowerInvariant();
        return label.Length == 0 ? "root" : label;
    }

    [GeneratedRegex("[^a-zA-Z0-9]+")]
    private static partial Regex NonAlphanumeric();
}
