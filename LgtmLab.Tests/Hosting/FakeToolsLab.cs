using Aspire.Hosting.Testing;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Fakes;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Hosting;

/// <summary>
/// The AppHost composed as Program.cs composes it (the lab with the real engine, optionally the TNS projects),
/// with the engine pointed at the fake docker/kind/kubectl/helm of a <see cref="FakeToolbox"/>: nothing outside
/// the toolbox's temp folder is touched, and the lab's host ports are free ones.
/// </summary>
internal sealed class FakeToolsLab : IAsyncDisposable
{
    private FakeToolsLab(FakeToolbox toolbox)
    {
        Toolbox = toolbox;
        // Chosen once: the host ports are inputs of a cluster's configuration, so a second AppHost on the same
        // toolbox finds its clusters unchanged unless a test changes something.
        _settings = new(StringComparer.Ordinal)
        {
            ["Lab:StateDirectory"] = Path.Combine(Toolbox.Root, "lab-state"),
            ["Lab:Kubeconfig"] = Toolbox.KubeconfigPath,
            ["Lab:DashboardsBaseUrl"] = Engine.ContractLab.NoDashboardServer,
            ["Lab:Retry:BaseDelay"] = "00:00:00.010",
            ["Lab:Retry:MaxDelay"] = "00:00:00.050",
            ["Lab:Retry:PollInterval"] = "00:00:00.050",
            ["Lab:Retry:ReadyTimeout"] = "00:00:20",
            ["Lab:Central:HostPorts:http"] = FreePort.NextText(),
            ["Lab:Central:HostPorts:https"] = FreePort.NextText(),
            ["Lab:Remotes:0:Name"] = "lgtm-remote",
            ["Lab:Remotes:0:HostPorts:otlp-grpc"] = FreePort.NextText(),
            ["Lab:Remotes:0:HostPorts:otlp-http"] = FreePort.NextText(),
        };
    }

    private readonly Dictionary<string, string?> _settings;

    public FakeToolbox Toolbox { get; }

    /// <summary>Parts of the lab added to the plan (mesh, LGTM, TNS); none by default.</summary>
    public IReadOnlyList<ILabPlanContribution> Contributions { get; init; } = [];

    public static FakeToolsLab Create(FakeToolboxOptions? options = null, IReadOnlyList<ILabPlanContribution>? contributions = null) =>
        new(FakeToolbox.Create(options)) { Contributions = contributions ?? [] };

    /// <summary>A testing builder holding the lab (and the TNS projects when asked), configured for the fakes.</summary>
    public (IDistributedApplicationTestingBuilder Builder, KindLabResource Lab) CreateAppHost(bool withTns, params (string Key, string Value)[] settings)
    {
        var builder = LabTestApp.CreateBuilder();
        var configuration = builder.Configuration;
        foreach (var (key, value) in _settings)
            configuration[key] = value;
        foreach (var (key, value) in settings)
            configuration[key] = value;

        if (withTns)
        {
            builder.AddTnsSample();
            builder.TurnOffDbOutage();
        }
        var (lab, _, _) = builder.AddDefaultLab(ControllerOptions with { Contributions = Contributions });
        return (builder, lab.Resource);
    }

    /// <summary>
    /// Provisions the lab's clusters (and nothing on them) with the engine alone, as an earlier AppHost run would
    /// have: the AppHost started next finds them, created from these settings.
    /// </summary>
    public async Task CreateClustersAsync(CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>(_settings)
        {
            ["Lab:Components:Linkerd"] = "false",
            ["Lab:Components:Lgtm"] = "false",
            ["Lab:Components:Tns"] = "false",
        };
        using var controller = LabController.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), ControllerOptions);
        await controller.RunAsync(new Progress<StepProgress>(), _ => NullLogger.Instance, cancellationToken);
        var failed = controller.Outcomes.Values.Where(o => o.Status != StepStatus.Succeeded).Select(o => $"{o.StepId}: {o.Message}").ToList();
        if (failed.Count > 0)
            throw new InvalidOperationException("Creating the lab's clusters with the fake tools failed: " + string.Join("; ", failed));
    }

    private LabControllerOptions ControllerOptions => new()
    {
        ToolLocator = Toolbox.Locator,
        SearchPath = Toolbox.PathVariable,
        Environment = new Dictionary<string, string?> { ["HOME"] = Toolbox.HomeDirectory },
        Preflight = new PreflightSettings { ProcSysDirectory = KernelLimits(), CheckInotify = true },
    };

    public ValueTask DisposeAsync() => Toolbox.DisposeAsync();

    /// <summary>A /proc/sys with the inotify limits kind needs, so preflight does not depend on this machine's.</summary>
    private string KernelLimits()
    {
        var procSys = Path.Combine(Toolbox.Root, "proc-sys");
        var inotify = Directory.CreateDirectory(Path.Combine(procSys, "fs", "inotify")).FullName;
        File.WriteAllText(Path.Combine(inotify, "max_user_watches"), "524288\n");
        File.WriteAllText(Path.Combine(inotify, "max_user_instances"), "512\n");
        return procSys;
    }
}
