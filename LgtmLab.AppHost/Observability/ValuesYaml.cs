using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace LgtmLab.AppHost.Observability;

/// <summary>Writes generated values files: plain maps and lists, multi-line strings as literal blocks.</summary>
internal static class ValuesYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithEventEmitter(next => new LiteralMultilineStrings(next))
        .DisableAliases()
        .Build();

    public static string Write(string header, object document) =>
        string.Join('\n', header.Split('\n').Select(line => "# " + line)) + "\n" + Serializer.Serialize(document);

    private sealed class LiteralMultilineStrings(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Value is string text && text.Contains('\n'))
                eventInfo.Style = ScalarStyle.Literal;
            base.Emit(eventInfo, emitter);
        }
    }
}
