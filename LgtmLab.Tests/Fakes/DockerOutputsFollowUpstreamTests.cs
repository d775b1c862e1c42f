using System.Text.Json;
using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The docker outputs the lab parses carry upstream's field names (see the citations in DockerCli.cs): a fake that
/// renamed or reshaped one would let the lab's parsing pass against something the real tools never print.
/// </summary>
public sealed class DockerOutputsFollowUpstreamTests : IAsyncLifetime
{
    private FakeToolbox _toolbox = null!;

    public async Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central");
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    [Fact]
    public async Task Network_inspect_IPAM_Config_has_moby_IPAMConfig_names()
    {
        var run = await _toolbox.RunAsync("docker", "network", "inspect", "kind", "--format", "{{json .IPAM.Config}}");

        var configs = JsonNode.Parse(run.Stdout)!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.NotEmpty(configs);
        Assert.All(configs, c => Assert.Subset(new HashSet<string> { "Subnet", "IPRange", "Gateway", "AuxiliaryAddresses" }, Keys(c).ToHashSet()));
        Assert.Contains(configs, c => (string?)c["Subnet"] == "172.18.0.0/16");
    }

    [Fact]
    public async Task Inspect_NetworkSettings_Networks_has_moby_EndpointSettings_names()
    {
        var run = await _toolbox.RunAsync("docker", "inspect", "--format", "{{json .NetworkSettings.Networks}}", "lgtm-central-control-plane");

        var endpoint = JsonNode.Parse(run.Stdout)!["kind"]!.AsObject();
        Assert.Subset(new HashSet<string>
        {
            "IPAMConfig", "Links", "Aliases", "MacAddress", "DriverOpts", "GwPriority", "NetworkID", "EndpointID", "Gateway",
            "IPAddress", "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address", "GlobalIPv6PrefixLen", "DNSNames",
        }, Keys(endpoint).ToHashSet());
        Assert.Equal("172.18.0.2", (string?)endpoint["IPAddress"]);
    }

    [Fact]
    public async Task Crictl_images_json_is_protojson_of_the_CRI_ListImagesResponse()
    {
        _toolbox.Cluster("lgtm-central")!.AddLoadedImage("lgtmlab/tns:abc");

        var run = await _toolbox.RunAsync("docker", "exec", "lgtm-central-control-plane", "crictl", "images", "-o", "json");

        var root = JsonNode.Parse(run.Stdout)!.AsObject();
        Assert.Equal(["images"], Keys(root));
        var image = Assert.Single(root["images"]!.AsArray())!.AsObject();
        // EmitDefaultValues: every scalar and list in field-number order; the unset messages uid and spec are left out.
        Assert.Equal(["id", "repoTags", "repoDigests", "size", "username", "pinned"], Keys(image));
        Assert.Equal(JsonValueKind.String, image["size"]!.GetValueKind());
        Assert.Equal(["docker.io/lgtmlab/tns:abc"], image["repoTags"]!.AsArray().Select(t => (string?)t));
        Assert.StartsWith("{\n  \"images\": [\n    {\n      \"id\": ", run.Stdout, StringComparison.Ordinal);
    }

    private static List<string> Keys(JsonObject o) => [.. o.Select(p => p.Key)];
}
