using System.Text.RegularExpressions;

namespace LgtmLab.Tests.Tns;

/// <summary>Patterns of TNS's logfmt lines.</summary>
internal static partial class LogLines
{
    /// <summary>A W3C trace id as TNS's lines carry it.</summary>
    public const string TraceId = "[0-9a-f]{32}";

    /// <summary>A Go duration such as 1.2345ms, 812.3µs or 1.5s.</summary>
    public const string Duration = @"[0-9.]+(ns|µs|ms|s)";

    public static bool Matches(string line, string pattern) => Regex.IsMatch(line, "^" + pattern + "$");

    /// <summary>The request log line weaveworks' middleware writes at debug for a 1xx-4xx/502/503.</summary>
    public static string Request(string method, string uri, int status) =>
        $"level=debug traceID={TraceId} msg=\"{Regex.Escape(method)} {Regex.Escape(uri)} \\({status}\\) {Duration}\"";

    public static string TraceIdOf(string line) => TraceIdField().Match(line).Groups[1].Value;

    [GeneratedRegex("traceID=([0-9a-f]{32})")]
    private static partial Regex TraceIdField();
}
