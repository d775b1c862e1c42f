using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// A kind.x-k8s.io/v1alpha4 Cluster config, decoded as strictly as kind does (unknown fields are errors, with
/// the line), and the few values the fake acts on: name, nodes, subnets, images, port mappings.
/// </summary>
internal sealed partial class KindConfig
{
    private static readonly Dictionary<string, string[]> Fields = new()
    {
        ["Cluster"] = ["kind", "apiVersion", "name", "nodes", "networking", "featureGates", "runtimeConfig", "kubeadmConfigPatches",
            "kubeadmConfigPatchesJSON6902", "containerdConfigPatches", "containerdConfigPatchesJSON6902"],
        ["Networking"] = ["ipFamily", "apiServerPort", "apiServerAddress", "podSubnet", "serviceSubnet", "disableDefaultCNI", "kubeProxyMode", "dnsSearch"],
        ["Node"] = ["role", "image", "labels", "extraMounts", "extraPortMappings", "kubeadmConfigPatches", "kubeadmConfigPatchesJSON6902"],
        ["PortMapping"] = ["containerPort", "hostPort", "listenAddress", "protocol"],
        ["Mount"] = ["containerPath", "hostPath", "readOnly", "selinuxRelabel", "propagation"],
        ["PatchJSON6902"] = ["group", "version", "kind", "patch"],
    };

    public string? Name { get; private init; }

    public List<(string Role, string? Image)> Nodes { get; } = [];

    public string PodSubnet { get; private set; } = "10.244.0.0/16";

    public string ServiceSubnet { get; private set; } = "10.96.0.0/16";

    public List<(int ContainerPort, int HostPort)> PortMappings { get; } = [];

    /// <summary>Decodes <paramref name="text"/>; throws <see cref="FormatException"/> with kind's message on bad input.</summary>
    public static KindConfig Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Default();
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlDotNet.Core.YamlException e) { throw new FormatException($"could not determine kind / apiVersion for config: {e.Message}", e); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return Default();
        var apiVersion = Scalar(root, "apiVersion");
        var kind = Scalar(root, "kind");
        if (apiVersion != "kind.x-k8s.io/v1alpha4") throw new FormatException($"unknown apiVersion: {apiVersion}");
        if (kind != "Cluster") throw new FormatException($"unknown kind {kind} for apiVersion: {apiVersion}");
        var errors = new List<string>();
        Check(root, "Cluster", errors);
        if (errors.Count > 0) throw new FormatException("unable to decode config: yaml: unmarshal errors:\n  " + string.Join("\n  ", errors));

        var config = new KindConfig { Name = Scalar(root, "name") };
        if (Child(root, "networking") is YamlMappingNode networking)
        {
            config.PodSubnet = Scalar(networking, "podSubnet") ?? config.PodSubnet;
            config.ServiceSubnet = Scalar(networking, "serviceSubnet") ?? config.ServiceSubnet;
        }
        foreach (var node in (Child(root, "nodes") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
        {
            config.Nodes.Add((Scalar(node, "role") ?? "control-plane", Scalar(node, "image")));
            foreach (var mapping in (Child(node, "extraPortMappings") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
                config.PortMappings.Add((int.Parse(Scalar(mapping, "containerPort") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(Scalar(mapping, "hostPort") ?? "0", System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (config.Nodes.Count == 0) config.Nodes.Add(("control-plane", null));
        config.Validate();
        return config;
    }

    /// <summary>kind's validation of the decoded config (cluster name, roles, subnets).</summary>
    public static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw new FormatException($"'{name}' is not a valid cluster name, cluster names must match `^[a-z0-9.-]+$`");
    }

    private void Validate()
    {
        var errors = new List<string>();
        foreach (var (subnet, what) in new[] { (PodSubnet, "pod"), (ServiceSubnet, "service") })
        {
            try { Ipv4.ParseCidr(subnet); }
            catch (Exception e) when (e is FormatException or OverflowException) { errors.Add($"invalid {what} subnet invalid CIDR address: {subnet}"); }
        }
        foreach (var (role, _) in Nodes.Where(n => n.Role is not ("control-plane" or "worker")))
            errors.Add($"invalid configuration for node: \"{role}\" is not a valid node role");
        if (!Nodes.Any(n => n.Role == "control-plane")) errors.Add("must have at least one control-plane node");
        if (errors.Count > 0) throw new FormatException(errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]");
    }

    private static KindConfig Default()
    {
        var config = new KindConfig();
        config.Nodes.Add(("control-plane", null));
        return config;
    }

    private static void Check(YamlMappingNode map, string type, List<string> errors)
    {
        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!Fields[type].Contains(key))
            {
                errors.Add($"line {keyNode.Start.Line}: field {key} not found in type v1alpha4.{type}");
                continue;
            }
            var childType = (type, key) switch
            {
                ("Cluster", "networking") => "Networking",
                ("Cluster", "nodes") => "Node",
                ("Node", "extraPortMappings") => "PortMapping",
                ("Node", "extraMounts") => "Mount",
                (_, "kubeadmConfigPatchesJSON6902") => "PatchJSON6902",
                _ => null,
            };
            if (childType is null) continue;
            if (value is YamlMappingNode child) Check(child, childType, errors);
            foreach (var item in (value as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? []) Check(item, childType, errors);
        }
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode map, string key) => (Child(map, key) as YamlScalarNode)?.Value;

    [GeneratedRegex("^[a-z0-9.-]+$")]
    private static partial Regex NamePattern();
}
