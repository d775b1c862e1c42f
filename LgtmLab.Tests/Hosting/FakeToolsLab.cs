using Aspire.Hosting.Testing;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Fakes;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Hosting;

/// <summary>
/// The AppHost composed as Program.cs composes it (the lab with the real engine, optionally the TNS projects),
/// with the engine pointed at the fake docker/kind/kubectl/helm of a <see cref="FakeToolbox"/>: nothing outside
/// the toolbox's temp folder is touched, and the lab's host ports are free ones.
/// </summary>
internal sealed class FakeToolsLab : IAsyncDisposable
{
    private FakeToolsLab(FakeToolbox toolbox) => Toolbox = toolbox;

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
        configuration["Lab:StateDirectory"] = Path.Combine(Toolbox.Root, "lab-state");
        configuration["Lab:Kubeconfig"] = Toolbox.KubeconfigPath;
        configuration["Lab:DashboardsBaseUrl"] = Engine.ContractLab.NoDashboardServer;
        configuration["Lab:Retry:BaseDelay"] = "00:00:00.010";
        configuration["Lab:Retry:MaxDelay"] = "00:00:00.050";
        configuration["Lab:Retry:PollInterval"] = "00:00:00.050";
        configuration["Lab:Retry:ReadyTimeout"] = "00:00:20";
        configuration["Lab:Central:HostPorts:http"] = FreePort.NextText();
        configuration["Lab:Central:HostPorts:https"] = FreePort.NextText();
        configuration["Lab:Remotes:0:Name"] = "lgtm-remote";
        configuration["Lab:Remotes:0:HostPorts:otlp-grpc"] = FreePort.NextText();
        configuration["Lab:Remotes:0:HostPorts:otlp-http"] = FreePort.NextText();
        foreach (var (key, value) in settings)
            configuration[key] = value;

        if (withTns)
        {
            builder.AddTnsSample();
            builder.TurnOffDbOutage();
        }
        var (lab, _, _) = builder.AddDefaultLab(new LabControllerOptions
        {
            ToolLocator = Toolbox.Locator,
            SearchPath = Toolbox.PathVariable,
            Environment = new Dictionary<string, string?> { ["HOME"] = Toolbox.HomeDirectory },
            Preflight = new PreflightSettings { ProcSysDirectory = KernelLimits(), CheckInotify = true },
            Contributions = Contributions,
        });
        return (builder, lab.Resource);
    }

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
