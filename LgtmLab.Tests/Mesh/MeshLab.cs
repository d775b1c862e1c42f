using System.Collections.Concurrent;
using LgtmLab.AppHost.Mesh;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Engine;
using LgtmLab.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.Mesh;

/// <summary>A <see cref="ContractLab"/> (fake tools, real engine) whose plan has the mesh, with every resource's log kept.</summary>
internal sealed class MeshLab : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ListLogger> _logs = new();

    private MeshLab(ContractLab lab) => Lab = lab;

    public static MeshLab Create(params (string Key, string Value)[] settings) => new(ContractLab.Create(null, settings));

    public ContractLab Lab { get; }
    public FakeToolbox Toolbox => Lab.Toolbox;
    public string StateDirectory => Lab.StateDirectory;
    public FakeCluster Central => Toolbox.Cluster("lgtm-central")!;
    public FakeCluster Remote => Toolbox.Cluster("lgtm-remote")!;

    /// <summary>A fresh controller with the mesh in its plan (as a new AppHost process would make); dispose it.</summary>
    public LabController Controller() =>
        LabController.FromConfiguration(Lab.Configuration, Lab.Options with { Contributions = [new MeshContribution()] });

    /// <summary>One run by a fresh controller, with fresh logs; returns its outcomes.</summary>
    public async Task<IReadOnlyDictionary<string, StepOutcome>> RunAsync()
    {
        _logs.Clear();
        using var controller = Controller();
        await controller.RunAsync(new RecordingProgress(), LoggerFor, CancellationToken.None);
        return controller.Outcomes.ToDictionary();
    }

    public ILogger LoggerFor(string resource) => _logs.GetOrAdd(resource, _ => new ListLogger());

    public IReadOnlyList<string> LogLines => [.. _logs.Values.SelectMany(l => l.Lines)];

    public static bool IsMeshResource(string resource) =>
        resource.EndsWith("-linkerd", StringComparison.Ordinal) || resource.Contains("-linkerd-", StringComparison.Ordinal)
        || resource.EndsWith("-link", StringComparison.Ordinal);

    /// <summary>The commands the mesh's steps ran in the last run, as their resources' logs show them ("$ helm ...").</summary>
    public IReadOnlyList<string> MeshCommands =>
        [.. _logs.Where(l => IsMeshResource(l.Key)).SelectMany(l => l.Value.Lines).Where(l => l.StartsWith("$ ", StringComparison.Ordinal)).Select(l => l[2..])];

    public static void AllSucceeded(IReadOnlyDictionary<string, StepOutcome> outcomes) =>
        Assert.True(outcomes.Values.All(o => o.Status == StepStatus.Succeeded),
            string.Join("\n", outcomes.Values.Where(o => o.Status != StepStatus.Succeeded).Select(o => $"{o.StepId}: {o.Status} {o.Message}")));

    public async ValueTask DisposeAsync() => await Lab.DisposeAsync();
}
