using Microsoft.Extensions.Hosting;

namespace LgtmLab.AppHost.Hosting;

/// <summary>Session lifetime: deletes the lab's clusters when the AppHost stops.</summary>
internal sealed class LabSessionCleanup(LabOperations operations) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => operations.DeleteClustersAtShutdownAsync(cancellationToken);
}
