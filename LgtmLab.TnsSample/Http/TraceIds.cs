using System.Diagnostics;

namespace LgtmLab.TnsSample.Http;

/// <summary>The trace id TNS puts in <c>traceID=</c>: the current span's, as 32 hex digits (W3C).</summary>
internal static class TraceIds
{
    /// <summary>The current trace id, or <see langword="null"/> outside a span (Go's <c>ok == false</c>).</summary>
    public static string? Current() => Activity.Current is { } activity ? activity.TraceId.ToHexString() : null;

    /// <summary>The current trace id, or empty (Go's <c>traceId, _ := ...</c>).</summary>
    public static string CurrentOrEmpty() => Current() ?? "";
}
