using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LgtmLab.AppHost.Tools;

/// <summary>
/// kind's cluster config (<c>kind.x-k8s.io/v1alpha4</c> Cluster), the fields of kind's types.go. Loaded strictly
/// (an unknown field is an error) because kind itself would reject it only when the cluster is being created.
/// </summary>
internal sealed class KindClusterConfig
{
    public const string ApiVersionV1Alpha4 = "kind.x-k8s.io/v1alpha4";

    public string Kind { get; set; } = "Cluster";
    public string ApiVersion { get; set; } = ApiVersionV1Alpha4;
    public string? Name { get; set; }
    public Dictionary<string, bool>? FeatureGates { get; set; }
    public Dictionary<string, string>? RuntimeConfig { get; set; }
    public List<KindNode> Nodes { get; set; } = [];
    public KindNetworking? Networking { get; set; }
    public List<string>? KubeadmConfigPatches { get; set; }
    [YamlMember(Alias = "kubeadmConfigPatchesJSON6902")]
    public List<KindPatchJson6902>? KubeadmConfigPatchesJson6902 { get; set; }
    public List<string>? ContainerdConfigPatches { get; set; }
    [YamlMember(Alias = "containerdConfigPatchesJSON6902")]
    public List<string>? ContainerdConfigPatchesJson6902 { get; set; }

    private static readonly IDeserializer Reader = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
    private static readonly ISerializer Writer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .Build();

    /// <summary>Parses strictly and checks kind and apiVersion.</summary>
    public static KindClusterConfig Parse(string yaml, string source)
    {
        KindClusterConfig config;
        try
        {
            config = Reader.Deserialize<KindClusterConfig>(yaml) ?? throw new InvalidDataException($"{source} is empty");
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            var cause = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
            throw new InvalidDataException($"{source} is not a valid kind cluster config (line {e.Start.Line}): {cause}", e);
        }
        if (config.Kind != "Cluster" || config.ApiVersion != ApiVersionV1Alpha4)
            throw new InvalidDataException($"{source} must be kind: Cluster, apiVersion: {ApiVersionV1Alpha4} (found {config.Kind}, {config.ApiVersion})");
        return config;
    }

    public string ToYaml() => Writer.Serialize(this);
}

internal sealed class KindNode
{
    public string Role { get; set; } = "control-plane";
    public string? Image { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public List<KindMount>? ExtraMounts { get; set; }
    public List<KindPortMapping>? ExtraPortMappings { get; set; }
    public List<string>? KubeadmConfigPatches { get; set; }
    [YamlMember(Alias = "kubeadmConfigPatchesJSON6902")]
    public List<KindPatchJson6902>? KubeadmConfigPatchesJson6902 { get; set; }
}

internal sealed class KindNetworking
{
    public string? IpFamily { get; set; }
    public int? ApiServerPort { get; set; }
    public string? ApiServerAddress { get; set; }
    public string? PodSubnet { get; set; }
    public string? ServiceSubnet { get; set; }
    [YamlMember(Alias = "disableDefaultCNI")]
    public bool? DisableDefaultCni { get; set; }
    public string? KubeProxyMode { get; set; }
    public List<string>? DnsSearch { get; set; }
}

internal sealed class KindPortMapping
{
    public int ContainerPort { get; set; }
    public int HostPort { get; set; }
    public string? ListenAddress { get; set; }
    public string? Protocol { get; set; }
}

internal sealed class KindMount
{
    public string ContainerPath { get; set; } = "";
    public string HostPath { get; set; } = "";
    public bool? ReadOnly { get; set; }
    public bool? SelinuxRelabel { get; set; }
    public string? Propagation { get; set; }
}

internal sealed class KindPatchJson6902
{
    public string Group { get; set; } = "";
    public string Version { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Patch { get; set; } = "";
}
