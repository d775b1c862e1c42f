using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.AppHost.Observability;

/// <summary>
/// The memory request and limit (MiB) that a lab-assets values file or manifest sets for one container: what the
/// memory budget adds up. A missing or unreadable figure is an error naming the file and where it was looked for.
/// </summary>
internal static class ContainerResources
{
    private const decimal MiB = 1024 * 1024;

    /// <summary>In a Helm values file, the <c>resources</c> map at the dotted <paramref name="path"/>, e.g. <c>server.resources</c>.</summary>
    public static (int RequestMiB, int LimitMiB) FromValues(string file, string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(file))
            stream.Load(reader);
        YamlNode? node = stream.Documents.FirstOrDefault()?.RootNode;
        foreach (var key in path.Split('.'))
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        return (Memory(file, path, Scalar(node, "requests")), Memory(file, path, Scalar(node, "limits")));

        static string? Scalar(YamlNode? resources, string kind) =>
            resources is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(kind), out var k)
            && k is YamlMappingNode figures && figures.Children.TryGetValue(new YamlScalarNode("memory"), out var memory)
                ? (memory as YamlScalarNode)?.Value
                : null;
    }

    /// <summary>In a manifest, the container named by <paramref name="path"/> <c>Kind/name/container</c>, e.g. <c>StatefulSet/mimir/mimir</c>.</summary>
    public static (int RequestMiB, int LimitMiB) FromManifest(string file, string path)
    {
        var parts = path.Split('/');
        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(file));
        var pod = parts[0] switch
        {
            "StatefulSet" => objects.OfType<V1StatefulSet>().FirstOrDefault(s => s.Metadata?.Name == parts[1])?.Spec?.Template?.Spec,
            "Deployment" => objects.OfType<V1Deployment>().FirstOrDefault(d => d.Metadata?.Name == parts[1])?.Spec?.Template?.Spec,
            var kind => throw new NotSupportedException($"the memory budget reads StatefulSets and Deployments, not {kind}"),
        };
        var resources = pod?.Containers?.FirstOrDefault(c => c.Name == parts[2])?.Resources;
        return (Memory(file, path, Quantity(resources?.Requests)), Memory(file, path, Quantity(resources?.Limits)));

        static string? Quantity(IDictionary<string, ResourceQuantity>? figures) =>
            figures is not null && figures.TryGetValue("memory", out var memory) ? memory.ToString() : null;
    }

    private static int Memory(string file, string path, string? quantity)
    {
        if (quantity is null)
            throw new InvalidDataException(
                $"{file} sets no memory request and limit at {path}: the memory budget (and preflight's check of Docker's memory) reads them there; set both, e.g. requests: {{memory: 192Mi}} and limits: {{memory: 384Mi}}.");
        try
        {
            return (int)Math.Ceiling(new ResourceQuantity(quantity).ToDecimal() / MiB);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{file} {path}: '{quantity}' is not a Kubernetes memory quantity: write it like 384Mi or 1Gi.", e);
        }
    }
}
