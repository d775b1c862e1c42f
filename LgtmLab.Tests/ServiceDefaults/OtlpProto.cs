using System.Buffers.Binary;
using System.Text;

namespace LgtmLab.Tests.ServiceDefaults;

internal sealed record OtlpSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind)
{
    public const int KindInternal = 1;
    public const int KindServer = 2;
    public const int KindClient = 3;
}

internal sealed record OtlpLogRecord(string Service, string Body, string TraceId, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Just enough of the protobuf wire format to read OTLP export requests (field numbers from
/// opentelemetry-proto: resource 1 / scope 2 / item 2 nesting, KeyValue{key 1, value 2}, AnyValue{string 1, bool 2, int 3}).
/// </summary>
internal static class OtlpProto
{
    public static IEnumerable<OtlpSpan> Spans(byte[] request)
    {
        foreach (var resourceSpans in Messages(request, 1))
        {
            var service = ServiceName(resourceSpans);
            foreach (var scopeSpans in Messages(resourceSpans, 2))
            {
                foreach (var span in Messages(scopeSpans, 2))
                {
                    yield return new OtlpSpan(service, Hex(Bytes(span, 1)), Hex(Bytes(span, 2)), Hex(Bytes(span, 4)),
                        Encoding.UTF8.GetString(Bytes(span, 5)), (int)Varint(span, 6));
                }
            }
        }
    }

    public static IEnumerable<OtlpLogRecord> Logs(byte[] request)
    {
        foreach (var resourceLogs in Messages(request, 1))
        {
            var service = ServiceName(resourceLogs);
            foreach (var scopeLogs in Messages(resourceLogs, 2))
            {
                foreach (var record in Messages(scopeLogs, 2))
                {
                    var body = Messages(record, 5).Select(AnyValue).FirstOrDefault() ?? "";
                    var attributes = Attributes(record, 6);
                    yield return new OtlpLogRecord(service, body, Hex(Bytes(record, 9)), attributes);
                }
            }
        }
    }

    public static IEnumerable<(string Service, string Metric)> MetricNames(byte[] request)
    {
        foreach (var resourceMetrics in Messages(request, 1))
        {
            var service = ServiceName(resourceMetrics);
            foreach (var scopeMetrics in Messages(resourceMetrics, 2))
            {
                foreach (var metric in Messages(scopeMetrics, 2))
                    yield return (service, Encoding.UTF8.GetString(Bytes(metric, 1)));
            }
        }
    }

    private static string ServiceName(byte[] resourceItem) =>
        Messages(resourceItem, 1).Select(resource => Attributes(resource, 1).GetValueOrDefault("service.name")).FirstOrDefault() ?? "";

    private static Dictionary<string, string> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var kv in Messages(message, field))
            attributes[Encoding.UTF8.GetString(Bytes(kv, 1))] = Messages(kv, 2).Select(AnyValue).FirstOrDefault() ?? "";
        return attributes;
    }

    private static string? AnyValue(byte[] value)
    {
        foreach (var (number, wireType, bytes, varint) in Fields(value))
        {
            switch (number)
            {
                case 1 when wireType == 2: return Encoding.UTF8.GetString(bytes);
                case 2 when wireType == 0: return varint != 0 ? "true" : "false";
                case 3 when wireType == 0: return ((long)varint).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    private static IEnumerable<byte[]> Messages(byte[] message, int field) =>
        Fields(message).Where(f => f.Number == field && f.WireType == 2).Select(f => f.Bytes);

    private static byte[] Bytes(byte[] message, int field) => Messages(message, field).FirstOrDefault() ?? [];

    private static ulong Varint(byte[] message, int field) =>
        Fields(message).Where(f => f.Number == field && f.WireType == 0).Select(f => f.Varint).FirstOrDefault();

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static List<(int Number, int WireType, byte[] Bytes, ulong Varint)> Fields(byte[] message)
    {
        var fields = new List<(int, int, byte[], ulong)>();
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message, ref position);
            var number = (int)(key >> 3);
            var wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    fields.Add((number, wireType, [], ReadVarint(message, ref position)));
                    break;
                case 1:
                    fields.Add((number, wireType, message[position..(position + 8)], BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(position))));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    fields.Add((number, wireType, message[position..(position + length)], 0));
                    position += length;
                    break;
                case 5:
                    fields.Add((number, wireType, message[position..(position + 4)], BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(position))));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"unsupported protobuf wire type {wireType}");
            }
        }
        return fields;
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }
}
