using LgtmLab.AppHost.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>What every lab resource shares (first snapshot, health from its steps, Retry), and the lab's and
/// the clusters' own commands.</summary>
internal static class LabLifecycleBuilderExtensions
{
    internal static IResourceBuilder<T> WithLabLifecycle<T>(this IResourceBuilder<T> resource, LabModel lab, string kind)
        where T : IResource
    {
        var name = resource.Resource.Name;
        var healthKey = $"lab-{name}";
        resource.ApplicationBuilder.Services.AddHealthChecks()
            .AddCheck(healthKey, new LabResourceHealthCheck(lab, name));

        return resource
            .ExcludeFromManifest()
            .WithInitialState(LabSnapshots.Initial(kind))
            .WithHealthCheck(healthKey)
            .OnInitializeResource((_, e, _) =>
            {
                e.Services.GetRequiredService<LabOperations>().ResourceInitialized();
                return Task.CompletedTask;
            })
            .WithCommand(LabCommands.Retry, "Retry", ctx =>
                ctx.Services.GetRequiredService<LabOperations>().RetryAsync(resource.Resource, ctx.CancellationToken),
                new CommandOptions
                {
                    Description = "Runs the failed or blocked steps again, and everything downstream of them",
                    IconName = "ArrowCounterclockwise",
                    IsHighlighted = true,
                    UpdateState = _ => lab.CurrentOperation is null
                        && lab.StatusOf(name).Phase is LabResourcePhase.Failed or LabResourcePhase.Blocked
                        ? ResourceCommandState.Enabled
                        : ResourceCommandState.Disabled,
                });
    }

    internal static IResourceBuilder<KindClusterResource> WithClusterCommands(this IResourceBuilder<KindClusterResource> cluster, LabModel lab)
    {
        var name = cluster.Resource.Name;
        return cluster
            .WithCommand(LabCommands.DeleteCluster, "Delete cluster", ctx =>
                ctx.Services.GetRequiredService<LabOperations>().DeleteClusterAsync(cluster.Resource, ctx.CancellationToken),
                new CommandOptions
                {
                    Description = "Deletes the kind cluster and everything on it; the TNS projects keep running",
                    ConfirmationMessage = $"Delete kind cluster {name} and everything on it? Whatever is running for the lab stops first. Recreate cluster (or the next AppHost start) creates it again.",
                    IconName = "Delete",
                    UpdateState = _ => lab.StatusOf(name).Phase == LabResourcePhase.Deleted
                        ? ResourceCommandState.Disabled
                        : ResourceCommandState.Enabled,
                })
            .WithCommand(LabCommands.RecreateCluster, "Recreate cluster", ctx =>
                ctx.Services.GetRequiredService<LabOperations>().RecreateClusterAsync(cluster.Resource, ctx.CancellationToken),
                new CommandOptions
                {
                    Description = "Deletes the kind cluster and creates it again with everything on it",
                    ConfirmationMessage = $"Delete kind cluster {name} and create it again with everything on it? This takes a few minutes.",
                    IconName = "ArrowSync",
                });
    }

    /// <summary>The lab's own commands: Delete lab (every cluster and the state folder), Collect diagnostics.</summary>
    internal static IResourceBuilder<KindLabResource> WithLabCommands(this IResourceBuilder<KindLabResource> resource, LabModel lab)
    {
        var stateDirectory = lab.Options.StateDirectory ?? $"~/.lgtmlab/{lab.Options.Name}";
        resource.WithCommand(LabCommands.CollectDiagnostics, "Collect diagnostics", ctx =>
                ctx.Services.GetRequiredService<LabOperations>().CollectDiagnosticsAsync(ctx.CancellationToken),
            new CommandOptions
            {
                Description = "Writes kind logs, pods, events, Helm releases, the lab's state, Linkerd's multicluster checks and the AppHost log, secrets redacted, to a folder and a zip under the lab's state folder",
                IconName = "DocumentSearch",
            });
        return resource.WithCommand(LabCommands.DeleteLab, "Delete lab", ctx =>
                ctx.Services.GetRequiredService<LabOperations>().DeleteLabAsync(ctx.CancellationToken),
            new CommandOptions
            {
                Description = "Deletes every cluster of the lab and its state folder",
                ConfirmationMessage = $"Delete every cluster of lab {lab.Options.Name} and its state folder {stateDirectory}, certificates included (its diagnostics bundles are kept)? The next AppHost start builds a new lab.",
                IconName = "DeleteDismiss",
                UpdateState = _ => lab.Clusters.All(c => lab.StatusOf(c.Name).Phase == LabResourcePhase.Deleted)
                    ? ResourceCommandState.Disabled
                    : ResourceCommandState.Enabled,
            });
    }

    /// <summary>A contribution's command, added when the app starts and the plan says the resource has it:
    /// read-only ones need the resource running; mutating ones an idle lab.</summary>
    internal static void AddLabAction(this IResource resource, LabModel lab, LgtmLab.AppHost.Provisioning.LabResourceAction action) =>
        resource.Annotations.Add(new ResourceCommandAnnotation(
            action.Name,
            action.DisplayName,
            _ => lab.StatusOf(resource.Name).Phase switch
            {
                LabResourcePhase.Running => ResourceCommandState.Enabled,
                LabResourcePhase.Failed when action.Mutates && lab.CurrentOperation is null => ResourceCommandState.Enabled,
                _ => ResourceCommandState.Disabled,
            },
            ctx => ctx.Services.GetRequiredService<LabOperations>().RunActionAsync(resource, action, ctx.CancellationToken),
            action.Description,
            parameter: null,
            action.ConfirmationMessage,
            action.IconName,
            iconVariant: null,
            isHighlighted: false));
}
