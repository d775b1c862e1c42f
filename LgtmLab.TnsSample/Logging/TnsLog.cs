namespace LgtmLab.TnsSample.Logging;

/// <summary>Writes TNS log lines: <c>logger.Logfmt(LogLevel.Information, ("msg", "toggled fail flag"), ("fail", true))</c>.</summary>
internal static class TnsLog
{
    /// <summary>The logger category of every TNS line (TNS has one go-kit logger).</summary>
    public const string Category = "tns";

    public static void Logfmt(this ILogger logger, LogLevel level, params ReadOnlySpan<(string Key, object? Value)> fields)
    {
        if (!logger.IsEnabled(level))
            return;
        // The formatted message (what OpenTelemetry exports as the body) is msg; the fields are attributes.
        logger.Log(level, default, new LogfmtRecord(fields), null, static (record, _) => record.Message ?? record.ToString());
    }
}
