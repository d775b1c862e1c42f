using System.Security.Cryptography;
using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Engine;
using LgtmLab.Tests.Fakes;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Lgtm;

/// <summary>
/// A <see cref="ContractLab"/> with the LGTM contribution plugged in and a known Grafana admin password, recording
/// every log line the steps write, so tests can look for the password anywhere it must not be.
/// </summary>
internal sealed class LgtmContractLab : IAsyncDisposable
{
    private LgtmContractLab(ContractLab lab) => Lab = lab;

    public ContractLab Lab { get; }
    public FakeToolbox Toolbox => Lab.Toolbox;
    public string Password { get; set; } = "Pw" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
    public ListLogger Log { get; } = new();
    public RecordingProgress Progress { get; private set; } = new();

    public static LgtmContractLab Create(int remotes = 1, bool linkerd = false)
    {
        var settings = new List<(string, string)> { ("Lab:Components:Linkerd", linkerd ? "true" : "false") };
        for (var i = 1; i < remotes; i++)
        {
            settings.Add(($"Lab:Remotes:{i}:Name", $"lgtm-remote{i + 1}"));
            settings.Add(($"Lab:Remotes:{i}:HostPorts:otlp-grpc", FreePort.NextText()));
            settings.Add(($"Lab:Remotes:{i}:HostPorts:otlp-http", FreePort.NextText()));
        }
        // each remote adds about 2 GiB to the memory budget that preflight checks
        var options = new FakeToolboxOptions { DockerMemoryBytes = (6L + 2 * remotes) << 30 };
        return new LgtmContractLab(ContractLab.Create(options, [.. settings]));
    }

    public FakeCluster Central => Toolbox.Cluster("lgtm-central")!;

    /// <summary>The parts in the plan: the LGTM part alone unless a test adds the mesh and TNS.</summary>
    public IReadOnlyList<ILabPlanContribution> Contributions { get; set; } = [new LgtmContribution()];

    public LabControllerOptions Options => Lab.Options with
    {
        Contributions = Contributions,
        GrafanaAdminPassword = _ => ValueTask.FromResult<string?>(Password),
    };

    public LabController Controller() => LabController.FromConfiguration(Lab.Configuration, Options);

    /// <summary>One run by a fresh controller (as a new AppHost process would do it); returns its outcomes.</summary>
    public async Task<IReadOnlyDictionary<string, StepOutcome>> RunAsync()
    {
        Progress = new RecordingProgress();
        using var controller = Controller();
        await controller.RunAsync(Progress, _ => Log, CancellationToken.None);
        return controller.Outcomes.ToDictionary();
    }

    public static void AllSucceeded(IReadOnlyDictionary<string, StepOutcome> outcomes) =>
        Assert.True(outcomes.Values.All(o => o.Status == StepStatus.Succeeded),
            string.Join("\n", outcomes.Values.Where(o => o.Status != StepStatus.Succeeded).Select(o => $"{o.StepId}: {o.Status} {o.Message}")));

    public ValueTask DisposeAsync() => Lab.DisposeAsync();
}
