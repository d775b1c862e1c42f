using LgtmLab.AppHost.Tools.Installation;

namespace LgtmLab.Tests.Tools;

public sealed class ToolVersionProbeTests
{
    [Theory]
    [InlineData("kind", "kind v0.32.0 go1.24.11 linux/amd64\n", "v0.32.0")]
    [InlineData("helm", "v4.1.4", "v4.1.4")]
    [InlineData("linkerd", "edge-26.8.3\n", "edge-26.8.3")]
    [InlineData("kubectl", "{\n  \"clientVersion\": {\n    \"major\": \"1\",\n    \"minor\": \"32+\",\n    \"gitVersion\": \"v1.32.4-dispatcher\"\n  },\n  \"kustomizeVersion\": \"v5.5.0\"\n}\n", "v1.32.4-dispatcher")]
    [InlineData("kubectl", "Client Version: v1.36.1", null)]
    [InlineData("kind", "command not found", null)]
    [InlineData("helm", "version.BuildInfo{Version:\"v4.1.4\"}", null)]
    public void Reads_each_tools_version_output(string tool, string output, string? expected) =>
        Assert.Equal(expected, ToolVersionProbe.Parse(tool, output));
}
