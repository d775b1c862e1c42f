using System.Text.RegularExpressions;
using LgtmLab.AppHost.Tools.Installation;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// `kubectl version --client -o json` (preflight and ToolVersionProbe read clientVersion.gitVersion) printed by the
/// fake and by real kubectl v1.35.2. The fake reports the pinned version, so the values differ; the document must not.
/// </summary>
public sealed partial class KubectlVersionMatchesRealKubectlTests
{
    [RequiresRealToolFact("kubectl")]
    public async Task Client_version_json_has_real_kubectls_keys_order_and_layout()
    {
        await using var toolbox = FakeToolbox.Create();
        string[] version = ["version", "--client", "-o", "json"];
        var home = Path.Combine(toolbox.StateDirectory, "real-kubectl-home");
        Directory.CreateDirectory(home);

        var real = await RealToolProcess.RunAsync("kubectl", version, new Dictionary<string, string?> { ["HOME"] = home, ["KUBECONFIG"] = toolbox.KubeconfigPath });
        var fake = await toolbox.RunAsync("kubectl", version);

        Assert.Equal((0, ""), (real.ExitCode, real.Stderr));
        Assert.Equal((0, WithoutValues(real.Stdout)), (fake.ExitCode, WithoutValues(fake.Stdout)));
        Assert.Equal("v1.35.2", ToolVersionProbe.Parse("kubectl", real.Stdout));
        Assert.Equal(toolbox.Versions.Tool("kubectl").Version, ToolVersionProbe.Parse("kubectl", fake.Stdout));
    }

    /// <summary>The document with every string value blanked: keys, their order, nesting and indentation stay.</summary>
    private static string WithoutValues(string json) => StringValue().Replace(json, "\"${key}\": \"\"");

    [GeneratedRegex("\"(?<key>[^\"]+)\": \"[^\"]*\"")]
    private static partial Regex StringValue();
}
