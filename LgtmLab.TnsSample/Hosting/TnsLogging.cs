using LgtmLab.TnsSample.Logging;
using Microsoft.Extensions.Logging.Console;

namespace LgtmLab.TnsSample.Hosting;

internal static class TnsLogging
{
    /// <summary>
    /// Every line on stdout as logfmt, TNS's lines at <c>-log.level</c> and above; libraries only warnings
    /// (ASP.NET's startup lines too), so <c>-log.level=debug</c> shows TNS's debug lines, not the framework's.
    /// </summary>
    public static void AddTnsLogging(this WebApplicationBuilder builder, LogLevel level)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.FormatterName = LogfmtConsoleFormatter.FormatterName)
            .AddConsoleFormatter<LogfmtConsoleFormatter, ConsoleFormatterOptions>();
        builder.Logging.SetMinimumLevel(level);
        var libraries = level > LogLevel.Warning ? level : LogLevel.Warning;
        builder.Logging.AddFilter("Microsoft", libraries);
        builder.Logging.AddFilter("System", libraries);
        builder.Logging.AddFilter("Polly", libraries);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", level > LogLevel.Information ? level : LogLevel.Information);
    }
}
