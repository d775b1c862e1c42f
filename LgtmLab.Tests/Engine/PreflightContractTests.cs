using System.Net;
using System.Net.Sockets;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Engine;

/// <summary>Preflight against the fake tools: each failing check ends the cluster resources with what to do, and changes nothing.</summary>
public sealed class PreflightContractTests
{
    private static async Task<(IReadOnlyDictionary<string, StepOutcome> Outcomes, ContractLab Lab)> RunAsync(ContractLab lab)
    {
        var outcomes = await lab.RunAsync();
        Assert.Empty(lab.Toolbox.Mutating);
        Assert.All(outcomes.Values.Where(o => o.StepId.EndsWith("/cluster", StringComparison.Ordinal)), o => Assert.Equal(StepStatus.Failed, o.Status));
        Assert.All(outcomes.Values.Where(o => !o.StepId.EndsWith("/cluster", StringComparison.Ordinal)), o => Assert.Equal(StepStatus.Blocked, o.Status));
        return (outcomes, lab);
    }

    [Fact]
    public async Task Without_docker_the_clusters_say_docker_is_not_installed()
    {
        await using var lab = ContractLab.Create(new FakeToolboxOptions { DockerInstalled = false });

        var (outcomes, _) = await RunAsync(lab);

        Assert.Contains("Docker is not installed", outcomes["lgtm-central/cluster"].Message, StringComparison.Ordinal);
        Assert.Empty(lab.Toolbox.Invocations);
    }

    [Fact]
    public async Task With_the_daemon_down_the_clusters_say_docker_is_not_running()
    {
        await using var lab = ContractLab.Create(new FakeToolboxOptions { DockerDaemonRunning = false });

        var (outcomes, _) = await RunAsync(lab);

        Assert.Contains("Docker is not running: Cannot connect to the Docker daemon", outcomes["lgtm-remote/cluster"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_little_docker_memory_names_what_is_needed_and_how_to_get_it()
    {
        await using var lab = ContractLab.Create(new FakeToolboxOptions { DockerMemoryBytes = 4L * 1024 * 1024 * 1024 });

        var (outcomes, _) = await RunAsync(lab);

        var needed = (LgtmLab.AppHost.Observability.MemoryBudget.Load(Observability.LabAssets.Product).TotalLimitMiB(new LgtmLab.AppHost.Configuration.LabOptions()) / 1024.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"Docker has 4.0 GiB of memory; the chosen components need {needed} GiB", outcomes["lgtm-central/cluster"].Message, StringComparison.Ordinal);
        Assert.Contains("Lab:Components:Lgtm=false", outcomes["lgtm-central/cluster"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Memory_is_enough_once_heavy_components_are_off()
    {
        await using var lab = ContractLab.Create(new FakeToolboxOptions { DockerMemoryBytes = 4L * 1024 * 1024 * 1024 }, ("Lab:Components:Lgtm", "false"));

        var outcomes = await lab.RunAsync();

        Assert.All(outcomes.Values, o => Assert.Equal(StepStatus.Succeeded, o.Status));
    }

    [Fact]
    public async Task Low_inotify_limits_come_with_the_sysctl_fix()
    {
        await using var lab = ContractLab.Create();
        lab.SetInotify(8192, 128);

        var (outcomes, _) = await RunAsync(lab);

        var message = outcomes["lgtm-central/cluster"].Message!;
        Assert.Contains("sudo sysctl fs.inotify.max_user_watches=524288", message, StringComparison.Ordinal);
        Assert.Contains("sudo sysctl fs.inotify.max_user_instances=512", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_port_in_use_names_its_key_but_only_for_clusters_not_yet_created()
    {
        await using var lab = ContractLab.Create();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        lab.Set("Lab:Remotes:0:HostPorts:otlp-http", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var (outcomes, _) = await RunAsync(lab);
        Assert.Contains($"host port {port} (Lab:Remotes:0:HostPorts:otlp-http) for cluster lgtm-remote is in use", outcomes["lgtm-remote/cluster"].Message, StringComparison.Ordinal);

        squatter.Stop();
        Assert.All((await lab.RunAsync()).Values, o => Assert.Equal(StepStatus.Succeeded, o.Status));
        squatter.Start();
        Assert.All((await lab.RunAsync()).Values, o => Assert.Equal(StepStatus.Succeeded, o.Status));
    }

    [Fact]
    public async Task Retry_after_the_cause_is_fixed_runs_the_whole_lab()
    {
        await using var lab = ContractLab.Create(new FakeToolboxOptions { DockerDaemonRunning = false });
        using var controller = lab.Controller();
        var progress = new RecordingProgress();
        await controller.RunAsync(progress, Loggers.None, CancellationToken.None);
        Assert.Equal(StepStatus.Failed, controller.Outcomes["lgtm-central/cluster"].Status);

        lab.Toolbox.Docker.DaemonRunning = true;
        await controller.RetryAsync("lgtm-central", progress, Loggers.None, CancellationToken.None);

        Assert.All(controller.Outcomes.Values, o => Assert.Equal(StepStatus.Succeeded, o.Status));
    }
}
