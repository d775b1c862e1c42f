namespace LgtmLab.Tests.Local;

/// <summary>One span as received over OTLP, with the <c>service.name</c> of the resource that sent it.</summary>
internal sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind)
{
    public const int ServerKind = 2;
    public const int ClientKind = 3;
}

/// <summary>
/// Decodes an OTLP <c>ExportTraceServiceRequest</c> (opentelemetry/proto/collector/trace/v1) into spans.
/// Field numbers are those of opentelemetry-proto's trace.proto, resource.proto and common.proto.
/// </summary>
internal static class OtlpTraceDecoder
{
    public static IReadOnlyList<ReceivedSpan> Decode(ReadOnlyMemory<byte> exportTraceServiceRequest)
    {
        var spans = new List<ReceivedSpan>();
        var request = new ProtobufReader(exportTraceServiceRequest);
        while (request.Next())
        {
            if (request.Field == 1 && request.WireType == 2) ReadResourceSpans(request.ReadMessage(), spans);
            else request.Skip();
        }
        return spans;
    }

    static void ReadResourceSpans(ProtobufReader resourceSpans, List<ReceivedSpan> spans)
    {
        var service = "";
        var scopes = new List<ProtobufReader>();
        while (resourceSpans.Next())
        {
            switch (resourceSpans.Field)
            {
                case 1 when resourceSpans.WireType == 2: service = ReadServiceName(resourceSpans.ReadMessage()) ?? ""; break;
                case 2 when resourceSpans.WireType == 2: scopes.Add(resourceSpans.ReadMessage()); break;
                default: resourceSpans.Skip(); break;
            }
        }
        foreach (var scope in scopes)
        {
            while (scope.Next())
            {
                if (scope.Field == 2 && scope.WireType == 2) spans.Add(ReadSpan(scope.ReadMessage(), service));
                else scope.Skip();
            }
        }
    }

    static string? ReadServiceName(ProtobufReader resource)
    {
        string? service = null;
        while (resource.Next())
        {
            if (resource.Field != 1 || resource.WireType != 2) { resource.Skip(); continue; }
            var keyValue = resource.ReadMessage();
            string? key = null, value = null;
            while (keyValue.Next())
            {
                if (keyValue.Field == 1 && keyValue.WireType == 2) key = keyValue.ReadString();
                else if (keyValue.Field == 2 && keyValue.WireType == 2) value = ReadStringValue(keyValue.ReadMessage());
                else keyValue.Skip();
            }
            if (key == "service.name") service = value;
        }
        return service;
    }

    static string? ReadStringValue(ProtobufReader anyValue)
    {
        string? value = null;
        while (anyValue.Next())
        {
            if (anyValue.Field == 1 && anyValue.WireType == 2) value = anyValue.ReadString();
            else anyValue.Skip();
        }
        return value;
    }

    static ReceivedSpan ReadSpan(ProtobufReader span, string service)
    {
        string traceId = "", spanId = "", parentSpanId = "", name = "";
        var kind = 0;
        while (span.Next())
        {
            switch (span.Field)
            {
                case 1 when span.WireType == 2: traceId = Convert.ToHexStringLower(span.ReadBytes().Span); break;
                case 2 when span.WireType == 2: spanId = Convert.ToHexStringLower(span.ReadBytes().Span); break;
                case 4 when span.WireType == 2: parentSpanId = Convert.ToHexStringLower(span.ReadBytes().Span); break;
                case 5 when span.WireType == 2: name = span.ReadString(); break;
                case 6 when span.WireType == 0: kind = (int)span.ReadVarint(); break;
                default: span.Skip(); break;
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parentSpanId, name, kind);
    }
}
