using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace LgtmLab.TnsSample.Logging;

/// <summary>
/// Writes every log line as TNS does: logfmt on stdout, no timestamp, <c>level=</c> first. TNS lines keep their
/// own field order; lines from ASP.NET and other libraries become <c>level=... msg="..."</c>.
/// </summary>
internal sealed class LogfmtConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "logfmt";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var line = new StringBuilder("level=").Append(LevelName(logEntry.LogLevel));
        if (logEntry.State is LogfmtRecord record)
        {
            foreach (var (key, value) in record.Fields)
            {
                line.Append(' ').Append(key).Append('=');
                LogfmtValue.Append(line, value);
            }
        }
        else
        {
            line.Append(" msg=");
            LogfmtValue.Append(line, logEntry.Formatter(logEntry.State, logEntry.Exception));
            if (logEntry.Exception is not null)
            {
                line.Append(" err=");
                LogfmtValue.Append(line, logEntry.Exception.ToString());
            }
        }
        textWriter.Write(line.Append('\n').ToString());
    }

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        _ => "error",
    };
}
