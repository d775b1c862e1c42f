using Aspire.Hosting.Eventing;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Hosting;

/// <summary>
/// Runs the lab's controller verbs from the dashboard: the start-up run, Retry, Delete cluster, Recreate cluster,
/// Delete lab and the session clean-up, one at a time through the controller's own <see cref="LabOperationGate"/>
/// (so a verb called on the controller directly takes its turn too). Destructive verbs interrupt whatever is
/// running; Retry refuses while something runs. After every verb the dashboard states are honest: nothing is left
/// Starting or Waiting when no one is working on it any more.
/// </summary>
internal sealed class LabOperations : IAsyncDisposable
{
    private const string HostLoggerCategory = "LgtmLab.Lab";

    private readonly LabModel _lab;
    private readonly LabStatePublisher _publisher;
    private readonly ILogger _hostLogger;
    private readonly CancellationToken _stopping;
    private readonly IDistributedApplicationEventing _eventing;
    private readonly IServiceProvider _services;
    private readonly DriftPrompt _drift;

    public LabOperations(LabModel lab, ResourceNotificationService notifications, ResourceLoggerService resourceLogs, ILoggerFactory loggers,
        IHostApplicationLifetime lifetime, IDistributedApplicationEventing eventing, IServiceProvider services)
    {
        _lab = lab;
        _hostLogger = loggers.CreateLogger(HostLoggerCategory);
        _publisher = new LabStatePublisher(lab, notifications, resourceLogs, _hostLogger);
        lab.PropertiesChanged = name => { if (lab.Find(name) is { } resource) _publisher.Publish(resource); };
        lab.StepChanged = _publisher.StepChanged;
        _stopping = lifetime.ApplicationStopping;
        _drift = new DriftPrompt(lab, services.GetService<IInteractionService>(), resourceLogs, _hostLogger, RecreateClusterAsync, _stopping);
        _eventing = eventing;
        _services = services;
    }

    /// <summary>What the verbs that cannot find drift report progress to: nothing, since the dashboard follows the
    /// controller's <see cref="ILabController.Outcomes"/>, where every verb records it.</summary>
    private static readonly IProgress<StepProgress> NoProgress = new Progress<StepProgress>();

    private Task _run = Task.CompletedTask;
    private int _initialized;

    /// <summary>The start-up run, in the background so the orchestrator and the TNS projects never wait on it.</summary>
    public Task Run => _run;

    /// <summary>
    /// Called as Aspire initializes each lab resource. The run starts once all of them are initialized: sooner,
    /// Aspire's own first publish of a resource could overwrite a state the run already set; later (after the
    /// app has started) would deadlock any resource that waits for a cluster, since start-up waits for it.
    /// </summary>
    public void ResourceInitialized()
    {
        if (Interlocked.Increment(ref _initialized) == _lab.All.Count())
            _run = Task.Run(RunAsync, CancellationToken.None);
    }

    private async Task RunAsync()
    {
        try
        {
            await ExclusiveAsync("Start", WhenBusy.Interrupt, _stopping, async token =>
            {
                _hostLogger.LogInformation("Lab {Name}: provisioning {Count} resources in the background", _lab.Options.Name, _lab.All.Count());
                try
                {
                    foreach (var resource in _lab.All)
                        await _eventing.PublishAsync(new BeforeResourceStartedEvent(resource, _services), token);
                    await _lab.Controller.RunAsync(_drift, _publisher.LoggerFor, token);
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    Fail(_lab.All, $"The lab run stopped: {ex.Message}", ex);
                }
                return true;
            });
            _drift.AskAboutDriftedClusters();
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping, or a destructive command took over; both leave honest states behind.
        }
        catch (Exception ex)
        {
            _hostLogger.LogError(ex, "Lab {Name}: the start-up run failed", _lab.Options.Name);
        }
    }

    public async Task<ExecuteCommandResult> RetryAsync(IResource resource, CancellationToken cancellationToken)
    {
        var result = await RetryCoreAsync(resource, cancellationToken);
        _drift.AskAboutDriftedClusters();
        return result;
    }

    private Task<ExecuteCommandResult> RetryCoreAsync(IResource resource, CancellationToken cancellationToken) =>
        CommandAsync($"Retry {resource.Name}", WhenBusy.Refuse, cancellationToken, async token =>
        {
            try
            {
                await _lab.Controller.RetryAsync(resource.Name, _drift, _publisher.LoggerFor, token);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                Fail([resource], $"Retry failed: {ex.Message}", ex);
                return CommandResults.Failure($"Retrying {resource.Name} failed: {ex.Message}");
            }
            var status = _lab.StatusOf(resource.Name);
            return status.Phase == LabResourcePhase.Running
                ? CommandResults.Success($"{resource.Name} is running.")
                : CommandResults.Failure($"{resource.Name} is still not running: {LabSnapshots.Explain(status)}");
        });

    /// <summary>Runs a contribution's command; its output goes to the resource's log. Mutating ones run alone.</summary>
    public Task<ExecuteCommandResult> RunActionAsync(IResource resource, LabResourceAction action, CancellationToken cancellationToken)
    {
        var logger = _publisher.LoggerFor(resource);
        async Task<ExecuteCommandResult> Body(CancellationToken token)
        {
            logger.LogInformation("{Action} (requested from the dashboard)", action.DisplayName);
            try
            {
                var message = await action.Run(logger, token);
                logger.LogInformation("{Action}: {Message}", action.DisplayName, message);
                if (action.ThenRunSteps.Count == 0)
                    return CommandResults.Success(message);
                await _lab.Controller.RunStepsAsync(action.ThenRunSteps, NoProgress, _publisher.LoggerFor, token);
                var status = _lab.StatusOf(resource.Name);
                return status.Phase == LabResourcePhase.Running
                    ? CommandResults.Success(message)
                    : CommandResults.Failure($"{message}, but {resource.Name} is not running: {LabSnapshots.Explain(status)}");
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                logger.LogError("{Action} failed: {Message}", action.DisplayName, ex.Message);
                return CommandResults.Failure($"{action.DisplayName} failed: {ex.Message}");
            }
        }
        return action.Mutates
            ? CommandAsync(action.DisplayName, WhenBusy.Refuse, cancellationToken, Body)
            : Body(cancellationToken);
    }

    public Task<ExecuteCommandResult> DeleteClusterAsync(KindClusterResource cluster, CancellationToken cancellationToken) =>
        CommandAsync($"Delete cluster {cluster.Name}", WhenBusy.Interrupt, cancellationToken, async token =>
        {
            var logger = _publisher.LoggerFor(cluster);
            logger.LogInformation("Deleting cluster {Cluster} (requested from the dashboard)", cluster.Name);
            try
            {
                await _lab.Controller.DeleteClusterAsync(cluster.Name, logger, token);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                logger.LogError(ex, "Deleting cluster {Cluster} failed", cluster.Name);
                return CommandResults.Failure($"Deleting cluster {cluster.Name} failed: {ex.Message}");
            }
            logger.LogInformation("Deleted cluster {Cluster}", cluster.Name);
            return CommandResults.Success($"Deleted cluster {cluster.Name}. Recreate cluster (or the next AppHost start) creates it again.");
        });

    public Task<ExecuteCommandResult> RecreateClusterAsync(KindClusterResource cluster, CancellationToken cancellationToken) =>
        CommandAsync($"Recreate cluster {cluster.Name}", WhenBusy.Interrupt, cancellationToken, async token =>
        {
            var affected = _lab.ClusterAndComponents(cluster.Name).ToList();
            _publisher.LoggerFor(cluster).LogInformation("Recreating cluster {Cluster} (requested from the dashboard)", cluster.Name);
            try
            {
                await _lab.Controller.RecreateClusterAsync(cluster.Name, NoProgress, _publisher.LoggerFor, token);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                Fail(affected, $"Recreating cluster {cluster.Name} failed: {ex.Message}", ex);
                return CommandResults.Failure($"Recreating cluster {cluster.Name} failed: {ex.Message}");
            }
            var notRunning = affected
                .Select(r => (r.Name, Status: _lab.StatusOf(r.Name)))
                .Where(r => r.Status.Phase != LabResourcePhase.Running)
                .Select(r => $"{r.Name}: {LabSnapshots.Explain(r.Status)}")
                .ToList();
            return notRunning.Count == 0
                ? CommandResults.Success($"Recreated cluster {cluster.Name}; it and its {affected.Count - 1} components are running.")
                : CommandResults.Failure($"Recreated cluster {cluster.Name}, but not everything runs: {string.Join("; ", notRunning)}");
        });

    public Task<ExecuteCommandResult> DeleteLabAsync(CancellationToken cancellationToken) =>
        CommandAsync("Delete lab", WhenBusy.Interrupt, cancellationToken, async token =>
        {
            var logger = _lab.Resource is { } labResource ? _publisher.LoggerFor(labResource) : _hostLogger;
            logger.LogInformation("Deleting the whole lab {Lab} (requested from the dashboard)", _lab.Options.Name);
            try
            {
                await _lab.Controller.DeleteLabAsync(logger, token);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                logger.LogError(ex, "Deleting the lab failed");
                return CommandResults.Failure($"Deleting the lab failed: {ex.Message}");
            }
            logger.LogInformation("Deleted every cluster of lab {Lab} and its state folder", _lab.Options.Name);
            return CommandResults.Success($"Deleted every cluster of lab {_lab.Options.Name} and its state folder.");
        });

    /// <summary>Writes a diagnostics bundle. Read-only, so it runs beside whatever else runs (a hung run is when
    /// it is needed most); its path goes into the result, the lab's log and its Diagnostics property.</summary>
    public async Task<ExecuteCommandResult> CollectDiagnosticsAsync(CancellationToken cancellationToken)
    {
        if (_lab.Resource is not { } resource || !_lab.IsBound || _lab.Controller is not LabController controller)
            return CommandResults.Failure("This lab's engine cannot collect diagnostics (it has not started, or it is a stand-in).");
        var logger = _publisher.LoggerFor(resource);
        try
        {
            var bundle = await controller.CollectDiagnosticsAsync(logger, cancellationToken);
            _lab.LastDiagnostics = bundle + ".zip";
            _publisher.Publish(resource);
            return CommandResults.Success($"Diagnostics written to {bundle} and {bundle}.zip (secrets redacted)");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Collecting diagnostics failed");
            return CommandResults.Failure($"Collecting diagnostics failed: {ex.Message}");
        }
    }

    /// <summary>Session lifetime: deletes every cluster when the AppHost stops. Best effort: each failure is
    /// logged and the others are still deleted.</summary>
    public async Task DeleteClustersAtShutdownAsync(CancellationToken cancellationToken)
    {
        if (!_lab.IsBound)
            return;
        try
        {
            await ExclusiveAsync("Session clean-up", WhenBusy.Interrupt, cancellationToken, async token =>
            {
                foreach (var cluster in _lab.Clusters)
                {
                    _hostLogger.LogInformation("Lab lifetime is Session: deleting cluster {Cluster}", cluster.Name);
                    try
                    {
                        await _lab.Controller.DeleteClusterAsync(cluster.Name, _hostLogger, token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        _hostLogger.LogError(ex, "Could not delete cluster {Cluster}; delete it with: kind delete cluster --name {Cluster}", cluster.Name, cluster.Name);
                    }
                }
                return true;
            });
        }
        catch (OperationCanceledException)
        {
            _hostLogger.LogWarning("Lab lifetime is Session, but the AppHost stopped before every cluster was deleted; delete the rest with: kind delete cluster --name <cluster>");
        }
    }

    /// <summary>
    /// Runs a command's operation on the AppHost's lifetime, not the caller's: closing the dashboard must not
    /// stop a cluster half-way through being recreated. The caller stops waiting when its token is cancelled.
    /// </summary>
    private async Task<ExecuteCommandResult> CommandAsync(
        string operation, WhenBusy whenBusy, CancellationToken cancellationToken, Func<CancellationToken, Task<ExecuteCommandResult>> body)
    {
        var running = ExclusiveAsync(operation, whenBusy, _stopping, body);
        _ = running.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        try
        {
            return await running.WaitAsync(cancellationToken) ?? CommandResults.Failure(
                $"The lab is busy ({_lab.CurrentOperation ?? "another operation"}). Try again when it has finished, or use Delete cluster to stop it.");
        }
        catch (OperationCanceledException)
        {
            return CommandResults.Canceled();
        }
    }

    /// <summary>Runs <paramref name="body"/> alone, through the controller's gate; returns null when busy and told
    /// to refuse. When another operation interrupted it, what it left unfinished shows that, with Retry as the way on.</summary>
    private async Task<T?> ExclusiveAsync<T>(string operation, WhenBusy whenBusy, CancellationToken cancellationToken, Func<CancellationToken, Task<T>> body)
    {
        try
        {
            return await _lab.Controller.Gate.RunAsync(operation, whenBusy, cancellationToken, async turn =>
            {
                _publisher.PublishAll();
                try
                {
                    return await body(turn.Token);
                }
                finally
                {
                    if (turn.InterruptedBy is { } interruptedBy)
                        Fail(_lab.All, $"Interrupted by {interruptedBy}; use Retry to continue", exception: null);
                }
            });
        }
        finally
        {
            _publisher.PublishAll();
        }
    }

    /// <summary>Marks every resource that is not done (Running, Failed, Deleted) as failed with the reason.</summary>
    private void Fail(IEnumerable<IResource> resources, string message, Exception? exception)
    {
        if (exception is not null)
            _hostLogger.LogError(exception, "Lab {Lab}: {Message}", _lab.Options.Name, message);
        foreach (var resource in resources)
        {
            if (_lab.StatusOf(resource.Name).Phase is LabResourcePhase.Running or LabResourcePhase.Failed or LabResourcePhase.Deleted)
                continue;
            _lab.Controller.Outcomes.MarkStopped(resource.Name, message);
            _publisher.LoggerFor(resource).LogError("{Message}", message);
            _publisher.Publish(resource);
        }
    }

    /// <summary>The container disposes this after the hosted services stopped (session clean-up included); the
    /// start-up run was cancelled when the AppHost began stopping and is given a moment to unwind first.</summary>
    public async ValueTask DisposeAsync()
    {
        await _run.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_lab.IsBound)
            (_lab.Controller as IDisposable)?.Dispose();
    }
}
