using LgtmLab.AppHost.Tools;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Fakes;

/// <summary>The real helm, kubectl and docker parse every command line a fake answers: what they refuse fails.</summary>
public sealed class RealCliGateTests : IAsyncLifetime
{
    private const string Context = "kind-lgtm-central";
    private FakeToolbox _toolbox = null!;

    public async Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        Assert.Equal(0, (await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central")).ExitCode);
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    [RequiresRealToolFact("helm")]
    public async Task Helm_v3s_list_all_is_refused_with_the_real_helms_message()
    {
        var result = await _toolbox.RunAsync("helm", "list", "--all", "--namespace", "metallb-system", "--kube-context", Context, "-o", "json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: unknown flag: --all\n", result.Stderr);
        Assert.Contains("unknown flag: --all", Assert.Single(_toolbox.RefusedByRealCli).RefusedByRealCli, StringComparison.Ordinal);
    }

    [RequiresRealToolFact("kubectl")]
    public async Task An_unknown_kubectl_flag_is_refused_by_the_real_kubectl()
    {
        var result = await _toolbox.RunAsync("kubectl", ["--context", Context, "apply", "--server-side", "--field-manager", "lgtmlab", "--prune-all", "-f", "-"], "", CancellationToken.None);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unknown flag: --prune-all", result.Stderr, StringComparison.Ordinal);
        Assert.Single(_toolbox.RefusedByRealCli);
    }

    [RequiresRealToolFact("docker")]
    public async Task An_unknown_docker_exec_flag_is_refused_by_the_real_docker_before_the_container()
    {
        var result = await _toolbox.RunAsync("docker", "exec", "--privileged-ish", "lgtm-central-control-plane", "ip", "route", "show", "10.0.0.0/24");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unknown flag: --privileged-ish", result.Stderr, StringComparison.Ordinal);
        Assert.Single(_toolbox.RefusedByRealCli);
    }

    [RequiresRealToolFact("helm", "kubectl", "docker")]
    public async Task The_products_command_lines_are_accepted_by_the_real_tools()
    {
        var runner = new ToolRunner(_toolbox.Locator, _toolbox.Environment);
        var helm = new Helm(runner);
        var kubectl = new Kubectl(runner);
        var values = Path.Combine(_toolbox.StateDirectory, "values.yaml");
        await File.WriteAllTextAsync(values, "controller:\n  logLevel: info\n");
        var chart = _toolbox.Versions.Charts.Values.First(c => c.Chart == "metallb");

        await helm.VersionAsync(NullLogger.Instance, CancellationToken.None);
        await helm.UpgradeInstallAsync("metallb", chart, "metallb-system", Context, [values], TimeSpan.FromMinutes(5), NullLogger.Instance, CancellationToken.None);
        await helm.ListAsync("metallb-system", Context, NullLogger.Instance, CancellationToken.None);
        await helm.UninstallAsync("metallb", "metallb-system", Context, NullLogger.Instance, CancellationToken.None);
        await kubectl.ClientVersionAsync(NullLogger.Instance, CancellationToken.None);
        await kubectl.ApplyFromStandardInputAsync(Context, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tns\n", NullLogger.Instance, CancellationToken.None);
        await _toolbox.RunAsync("docker", "exec", "lgtm-central-control-plane", "ip", "route", "show", "10.0.0.0/24");

        Assert.Empty(_toolbox.RefusedByRealCli);
        Assert.Contains(_toolbox.Invocations, i => i.Tool == "docker");
    }

    [Fact]
    public void Docker_exec_gets_its_help_flag_before_the_container_where_its_flags_stop()
    {
        Assert.Equal(["exec", "-i", "-e", "A=1", "--help", "node", "ip", "route"], RealCliGate.WithHelp("docker", ["exec", "-i", "-e", "A=1", "node", "ip", "route"]));
        Assert.Equal(["--context", "c", "apply", "-f", "-", "--help"], RealCliGate.WithHelp("kubectl", ["--context", "c", "apply", "-f", "-"]));
    }
}
