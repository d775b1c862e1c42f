using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Engine;

/// <summary>
/// The real engine and CliWrap runner against the fake tools of a <see cref="FakeToolbox"/> (first on PATH) and
/// the fake API servers of its clusters; a fresh <see cref="LabController"/> per run, as a new AppHost process would be.
/// </summary>
internal sealed class ContractLab : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;

    private ContractLab(FakeToolbox toolbox, Dictionary<string, string?> settings)
    {
        Toolbox = toolbox;
        _settings = settings;
    }

    public const string NoDashboardServer = "http://127.0.0.1:1";

    public FakeToolbox Toolbox { get; }
    public string StateDirectory => _settings["Lab:StateDirectory"]!;

    /// <summary>A copy of lab-assets the test may edit (as a user edits values files between runs).</summary>
    public string AssetsDirectory => _settings["Lab:AssetsDirectory"]!;
    public string ProcSys { get; private set; } = "";
    public RecordingProgress Progress { get; private set; } = new();

    public static ContractLab Create(FakeToolboxOptions? options = null, params (string Key, string Value)[] settings)
    {
        var toolbox = FakeToolbox.Create(options);
        var assets = Path.Combine(toolbox.Root, "lab-assets");
        CopyDirectory(LabAssets.Locate(new LabOptions()).Directory, assets);
        var values = new Dictionary<string, string?>
        {
            ["Lab:AssetsDirectory"] = assets,
            ["Lab:StateDirectory"] = Path.Combine(toolbox.Root, "lab-state"),
            ["Lab:Kubeconfig"] = toolbox.KubeconfigPath,
            // Dashboards never come from the internet in tests: nothing listens on 127.0.0.1:1, so each is a
            // warning on Grafana; the dashboard tests point this at an ArtifactServer.
            ["Lab:DashboardsBaseUrl"] = NoDashboardServer,
            ["Lab:Retry:BaseDelay"] = "00:00:00.005",
            ["Lab:Retry:MaxDelay"] = "00:00:00.020",
            ["Lab:Retry:PollInterval"] = "00:00:00.020",
            ["Lab:Retry:ReadyTimeout"] = "00:00:10",
            ["Lab:Central:HostPorts:http"] = FreePort.NextText(),
            ["Lab:Central:HostPorts:https"] = FreePort.NextText(),
            ["Lab:Remotes:0:Name"] = "lgtm-remote",
            ["Lab:Remotes:0:HostPorts:otlp-grpc"] = FreePort.NextText(),
            ["Lab:Remotes:0:HostPorts:otlp-http"] = FreePort.NextText(),
        };
        foreach (var (key, value) in settings) values[key] = value;
        var lab = new ContractLab(toolbox, values);
        lab.ProcSys = Path.Combine(toolbox.Root, "proc-sys");
        lab.SetInotify(524288, 512);
        return lab;
    }

    public void Set(string key, string? value) => _settings[key] = value;

    public void SetInotify(long watches, long instances)
    {
        var dir = Path.Combine(ProcSys, "fs", "inotify");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "max_user_watches"), $"{watches}\n");
        File.WriteAllText(Path.Combine(dir, "max_user_instances"), $"{instances}\n");
    }

    /// <summary>The lab's settings as command-line arguments (for <see cref="LabCommandLine"/>).</summary>
    public string[] Arguments(params string[] command) =>
        [.. command, .. _settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}")];

    public IConfiguration Configuration => new ConfigurationBuilder().AddInMemoryCollection(_settings).Build();

    public LabControllerOptions Options => new()
    {
        ToolLocator = Toolbox.Locator,
        SearchPath = Toolbox.PathVariable,
        Environment = new Dictionary<string, string?> { ["HOME"] = Toolbox.HomeDirectory },
        Preflight = new PreflightSettings { ProcSysDirectory = ProcSys, CheckInotify = true },
    };

    public LabController Controller() => LabController.FromConfiguration(Configuration, Options);

    /// <summary>One run by a fresh controller; returns its outcomes.</summary>
    public async Task<IReadOnlyDictionary<string, StepOutcome>> RunAsync(CancellationToken cancellationToken = default)
    {
        Progress = new RecordingProgress();
        using var controller = Controller();
        await controller.RunAsync(Progress, Loggers.None, cancellationToken);
        return controller.Outcomes.ToDictionary();
    }

    public async ValueTask DisposeAsync() => await Toolbox.DisposeAsync();

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
