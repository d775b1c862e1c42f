using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// Reads the lab out of the app model when the app starts (<see cref="BeforeStartEvent"/>), builds the engine
/// for it, and binds every lab resource to the engine's description of it: properties, URLs, commands, probe.
/// The provisioning run itself starts once Aspire has initialized every lab resource (<see cref="LabOperations"/>).
/// </summary>
internal sealed class LabProvisioner(LabModel lab) : IDistributedApplicationEventingSubscriber
{
    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        if (executionContext.IsRunMode)
            eventing.Subscribe<BeforeStartEvent>((_, _) =>
            {
                Bind();
                return Task.CompletedTask;
            });
        return Task.CompletedTask;
    }

    private void Bind()
    {
        if (lab.Resource is not { } resource || lab.IsBound)
            return;
        var controller = lab.ControllerFactory(lab);
        lab.Bind(controller, Describe(resource));
        foreach (var provisioned in lab.All)
        {
            var definition = lab.DefinitionOf(provisioned.Name)!;
            foreach (var snapshot in provisioned.Annotations.OfType<ResourceSnapshotAnnotation>().ToList())
                provisioned.Annotations.Remove(snapshot);
            provisioned.Annotations.Add(new ResourceSnapshotAnnotation(LabSnapshots.Initial(definition)));
            foreach (var action in definition.Actions)
                provisioned.AddLabAction(lab, action);
        }
    }

    private LabResource Describe(KindLabResource resource) => new(resource.Name, null, "KindLab", new Dictionary<string, string>
    {
        ["clusters"] = string.Join(", ", lab.Clusters.Select(c => c.Name)),
        ["lifetime"] = lab.Options.Lifetime.ToString(),
        ["stateDirectory"] = lab.Options.StateDirectory ?? $"~/.lgtmlab/{lab.Options.Name}",
    })
    {
        LiveProperties = () => lab.LastDiagnostics is { } bundle
            ? new Dictionary<string, string> { ["diagnostics"] = bundle }
            : new Dictionary<string, string>(),
    };
}
