using Microsoft.Extensions.Logging;

namespace LgtmLab.TnsSample.Logging;

/// <summary>Writes TNS log lines: <c>logger.Logfmt(LogLevel.Information, ("msg", "toggled fail flag"), ("fail", true))</c>.</summary>
public static class TnsLog
{
    /// <summary>The logger category of every TNS line (TNS has one go-kit logger).</summary>
    public const string Category = "tns";

    public static void Logfmt(this ILogger logger, LogLevel level, params ReadOnlySpan<(string Key, object? Value)> fields)
    {
        if (!logger.IsEnabled(level))
            return;
        logger.Log(level, default, new LogfmtRecord(fields), null, static (record, _) => record.ToString());
    }
}
