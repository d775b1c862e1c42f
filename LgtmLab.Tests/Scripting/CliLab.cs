using LgtmLab.Tests.Fakes;
using LgtmLab.Tests.Hosting;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Scripting;

/// <summary>
/// One AppHost for the CLI tests: the lab composed as Program.cs composes it, against the fake tools, in this
/// test process, reached by the real Aspire CLI through the AppHost's backchannel socket (~/.aspire/cli/bch).
/// The CLI picks an AppHost by its project path, so this one is given the path of a copy of LgtmLab.AppHost.csproj
/// in a folder of its own (<see cref="Workspace"/>), and the README's command lines run there unchanged: they can
/// reach neither a real AppHost of this repository nor another test's. Started on first use, once.
/// </summary>
public sealed class CliLab : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private FakeToolsLab? _fakes;
    private DistributedApplication? _app;
    private readonly Lazy<Task<CliResult>> _waitForLab;

    public CliLab() => _waitForLab = new(StartAndWaitAsync);

    /// <summary>The fake tools the lab runs against (their journal shows what the CLI's commands did).</summary>
    internal FakeToolbox Toolbox => _fakes?.Toolbox ?? throw new InvalidOperationException("the lab is not started: call WaitForLabAsync first");

    /// <summary>The CLI's working directory: LgtmLab.AppHost/LgtmLab.AppHost.csproj and .config/dotnet-tools.json.</summary>
    public string Workspace { get; private set; } = "";

    internal Task<CliResult> RunAsync(string commandLine) => AspireCli.RunAsync(Workspace, commandLine);

    /// <summary>Starts the AppHost and runs the README's wait for the lab, on the first call only: its result.</summary>
    internal Task<CliResult> WaitForLabAsync() => _waitForLab.Value;

    private async Task<CliResult> StartAndWaitAsync()
    {
        await StartAsync();
        return await RunAsync(ReadmeScript.WaitForLab);
    }

    private async Task StartAsync()
    {
        _fakes = FakeToolsLab.Create();
        var (builder, _) = _fakes.CreateAppHost(withTns: false);

        Workspace = Path.Combine(_fakes.Toolbox.Root, "workspace");
        var project = Path.Combine(Workspace, "LgtmLab.AppHost", "LgtmLab.AppHost.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        File.Copy(FakeToolbox.RepositoryFile("LgtmLab.AppHost/LgtmLab.AppHost.csproj"), project);
        Directory.CreateDirectory(Path.Combine(Workspace, ".config"));
        File.Copy(AspireCli.ManifestPath, Path.Combine(Workspace, ".config", "dotnet-tools.json"));
        // The backchannel's socket is named after this path, and the CLI's --apphost finds it by the same path.
        builder.Configuration["AppHost:FilePath"] = project;

        using var timeout = new CancellationTokenSource(StartTimeout);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Never `aspire stop` this AppHost: the CLI would signal, then kill, the process it runs in (the test host).
        if (_app is not null) await _app.DisposeAsync();
        if (_fakes is not null) await _fakes.DisposeAsync();
    }
}
