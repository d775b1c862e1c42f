using System.Collections;

namespace LgtmLab.TnsSample.Logging;

/// <summary>
/// One TNS log line: its fields in the order TNS writes them (<c>msg</c> is just a field, as in go-kit).
/// The console formatter writes them as logfmt; OpenTelemetry sees the fields other than <c>msg</c> as
/// attributes and <c>msg</c> as the body.
/// </summary>
internal sealed class LogfmtRecord : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string MessageKey = "msg";
    private readonly KeyValuePair<string, object?>[] _attributes;

    public LogfmtRecord(ReadOnlySpan<(string Key, object? Value)> fields)
    {
        Fields = new KeyValuePair<string, object?>[fields.Length];
        var attributeList = new List<KeyValuePair<string, object?>>(fields.Length);
        for (var i = 0; i < fields.Length; i++)
        {
            var value = LogfmtValue.Normalize(fields[i].Value);
            Fields[i] = new(fields[i].Key, value);
            if (fields[i].Key == MessageKey)
                Message = LogfmtValue.Text(value);
            else
                attributeList.Add(new(fields[i].Key, value));
        }

        // "{OriginalFormat}" is how Microsoft.Extensions.Logging names the message template; OpenTelemetry
        // exports it as the log body.
        if (Message is not null)
            attributeList.Add(new("{OriginalFormat}", Message));
        _attributes = [.. attributeList];
    }

    /// <summary>The fields in TNS order, values already in their logged form.</summary>
    public KeyValuePair<string, object?>[] Fields { get; }

    public string? Message { get; }

    public int Count => _attributes.Length;

    public KeyValuePair<string, object?> this[int index] => _attributes[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_attributes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The line without its level, e.g. <c>msg="HTTP client success" status_code=200</c>.</summary>
    public override string ToString()
    {
        var line = new System.Text.StringBuilder();
        foreach (var (key, value) in Fields)
        {
            if (line.Length > 0)
                line.Append(' ');
            line.Append(key).Append('=');
            LogfmtValue.Append(line, value);
        }
        return line.ToString();
    }
}
