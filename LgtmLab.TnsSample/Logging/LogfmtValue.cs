using System.Globalization;
using System.Text;

namespace LgtmLab.TnsSample.Logging;

/// <summary>Values written the way go-kit's logfmt logger writes them.</summary>
internal static class LogfmtValue
{
    /// <summary>Turns a field value into what is logged: strings, numbers and booleans stay typed (they become
    /// typed OpenTelemetry attributes); byte arrays become text as Go prints them; other values their text.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null or string or bool or int or long or double => value,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        Uri uri => uri.OriginalString,
        Exception exception => exception.Message,
        _ => value.ToString(),
    };

    public static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Appends one value: <c>null</c> for a missing value, quoted only when it must be.</summary>
    public static void Append(StringBuilder line, object? value)
    {
        var text = Text(value);
        if (text is null)
            line.Append("null");
        else if (text == "null")
            line.Append("\"null\"");
        else if (NeedsQuotes(text))
            AppendQuoted(line, text);
        else
            line.Append(text);
    }

    private static bool NeedsQuotes(string text)
    {
        foreach (var c in text)
        {
            if (c <= ' ' || c == '=' || c == '"' || c == '\uFFFD' || c == '\u007F')
                return true;
        }
        return false;
    }

    private static void AppendQuoted(StringBuilder line, string text)
    {
        line.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': line.Append(@"\\"); break;
                case '"': line.Append("\\\""); break;
                case '\n': line.Append(@"\n"); break;
                case '\r': line.Append(@"\r"); break;
                case '\t': line.Append(@"\t"); break;
                case < ' ' or '\u007F': line.Append(@"\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: line.Append(c); break;
            }
        }
        line.Append('"');
    }
}
