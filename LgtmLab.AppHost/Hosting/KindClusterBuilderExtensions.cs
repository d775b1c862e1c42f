using Aspire.Hosting.ApplicationModel;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Verbs for <see cref="KindClusterResource"/>: the resource itself and its dashboard commands.</summary>
internal static class KindClusterBuilderExtensions
{
    internal static IResourceBuilder<KindClusterResource> AddKindCluster(
        this IDistributedApplicationBuilder builder, LabModel lab, LabResource definition)
    {
        var cluster = new KindClusterResource(definition.Name, definition);
        lab.Add(cluster);
        return builder.AddResource(cluster)
            .WithIconName("Server")
            .WithLabLifecycle(lab, definition)
            .WithClusterCommands(lab);
    }

    static IResourceBuilder<KindClusterResource> WithClusterCommands(this IResourceBuilder<KindClusterResource> cluster, LabModel lab)
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
                    UpdateState = _ => lab.Board.StatusOf(name).Phase == LabResourcePhase.Deleted
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

    /// <summary>Adds "Delete lab": every cluster of the lab and its state folder, from the central cluster's menu.</summary>
    internal static IResourceBuilder<KindClusterResource> WithDeleteLabCommand(this IResourceBuilder<KindClusterResource> cluster, LabModel lab)
    {
        var stateDirectory = lab.Options.StateDirectory ?? $"~/.lgtmlab/{lab.Options.Name}";
        return cluster.WithCommand(LabCommands.DeleteLab, "Delete lab", ctx =>
                ctx.Services.GetRequiredService<LabOperations>().DeleteLabAsync(ctx.CancellationToken),
            new CommandOptions
            {
                Description = "Deletes every cluster of the lab and its state folder",
                ConfirmationMessage = $"Delete every cluster of lab {lab.Options.Name} ({string.Join(", ", lab.Clusters.Select(c => c.Name))}) and its state folder {stateDirectory}, certificates included? The next AppHost start builds a new lab.",
                IconName = "DeleteDismiss",
                UpdateState = _ => lab.Clusters.All(c => lab.Board.StatusOf(c.Name).Phase == LabResourcePhase.Deleted)
                    ? ResourceCommandState.Disabled
                    : ResourceCommandState.Enabled,
            })
            .WithCommand(LabCommands.CollectDiagnostics, "Collect diagnostics", async ctx =>
            {
                if (lab.Controller is not LabController controller)
                    return CommandResults.Failure("This lab's controller cannot collect diagnostics");
                var logger = ctx.Services.GetRequiredService<ResourceLoggerService>().GetLogger(cluster.Resource);
                try
                {
                    var bundle = await controller.CollectDiagnosticsAsync(logger, ctx.CancellationToken);
                    return CommandResults.Success($"Diagnostics written to {bundle} and {bundle}.zip (secrets redacted)");
                }
                catch (Exception ex) when (!ctx.CancellationToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Collecting diagnostics failed");
                    return CommandResults.Failure($"Collecting diagnostics failed: {ex.Message}");
                }
            },
            new CommandOptions
            {
                Description = "Writes kind logs, pods, events, Helm releases, the lab's state, Linkerd's multicluster checks and the AppHost log, secrets redacted, to a folder and a zip under the lab's state folder",
                IconName = "DocumentSearch",
            });
    }
}
