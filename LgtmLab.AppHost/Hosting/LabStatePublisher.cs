using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// Follows the controller's step records and publishes each affected resource's state (computed from those
/// records, see <see cref="LabStatusProjection"/>); hands the engine a logger per resource so every tool's output
/// streams into that resource's console log.
/// </summary>
internal sealed class LabStatePublisher(
    LabModel lab, ResourceNotificationService notifications, ResourceLoggerService resourceLogs, ILogger hostLogger)
{
    /// <summary>Called on the writer's thread after a step's record changed.</summary>
    public void StepChanged(StepRecord? previous, StepRecord current)
    {
        var value = current.Outcome;
        if (lab.Find(value.ResourceName) is not { } resource)
        {
            hostLogger.LogWarning("Step {Step} reported {Status} for {Resource}, which is not a lab resource", value.StepId, value.Status, value.ResourceName);
            return;
        }
        // Only the engine's news: the hosting layer logs its own verdicts (stopped, deleted) with their reason.
        if (current.Kind == StepRecordKind.Reported)
            LogTransition(resource, value);
        Publish(resource);
        if (lab.Resource is { } labResource)
            Publish(labResource);
    }

    /// <summary>The logger the engine writes a resource's tool output to; the host log for names it does not know.</summary>
    public ILogger LoggerFor(string resourceName) =>
        lab.Find(resourceName) is { } resource ? resourceLogs.GetLogger(resource) : hostLogger;

    public ILogger LoggerFor(IResource resource) => resourceLogs.GetLogger(resource);

    /// <summary>Publishes the resource's current summary. The snapshot is computed inside the notification
    /// service's lock from the step records as they are then, so concurrent publishes cannot leave an older state last.</summary>
    public void Publish(IResource resource)
    {
        if (lab.DefinitionOf(resource.Name) is not { } definition)
            return;
        _ = notifications.PublishUpdateAsync(resource, s => LabSnapshots.Apply(s, definition, lab.StatusOf(resource.Name)))
            .ContinueWith(t => hostLogger.LogError(t.Exception, "Publishing the state of {Resource} failed", resource.Name),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public void PublishAll()
    {
        foreach (var resource in lab.All)
            Publish(resource);
    }

    private void LogTransition(IResource resource, StepOutcome step)
    {
        var logger = resourceLogs.GetLogger(resource);
        switch (step.Status)
        {
            case StepStatus.Failed:
                logger.LogError("[{Step}] Failed: {Message}", step.StepId, step.Message ?? "(no message)");
                break;
            case StepStatus.Succeeded when step.Warning is not null:
                logger.LogWarning("[{Step}] Succeeded with a warning: {Warning}", step.StepId, step.Warning);
                break;
            case StepStatus.Blocked:
                logger.LogWarning("[{Step}] Blocked: {Message}", step.StepId, step.Message ?? "a dependency failed");
                break;
            default:
                if (step.Message is null)
                    logger.LogInformation("[{Step}] {Status}", step.StepId, step.Status);
                else
                    logger.LogInformation("[{Step}] {Status}: {Message}", step.StepId, step.Status, step.Message);
                break;
        }
    }
}
