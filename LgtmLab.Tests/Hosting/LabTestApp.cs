using Aspire.Hosting.Testing;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.DependencyInjection;

namespace LgtmLab.Tests.Hosting;

/// <summary>A small AppHost holding only the lab (plus what a test adds), started under Aspire.Hosting.Testing.</summary>
internal sealed class LabTestApp : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource _timeout = new(Timeout);

    private LabTestApp(DistributedApplication app) => App = app;

    public DistributedApplication App { get; }

    public CancellationToken Token => _timeout.Token;

    /// <summary>The app's start; complete once every resource has been created.</summary>
    public Task Started { get; private set; } = Task.CompletedTask;

    public ResourceNotificationService Notifications => App.Services.GetRequiredService<ResourceNotificationService>();

    public static async Task<LabTestApp> StartAsync(
        ILabController controller, LabOptions? options = null, Action<IDistributedApplicationTestingBuilder, IResourceBuilder<KindLabResource>>? configure = null,
        bool awaitStart = true)
    {
        var builder = CreateBuilder();
        var lab = builder.AddLab(options ?? new LabOptions(), controller);
        configure?.Invoke(builder, lab);
        var app = await builder.BuildAsync();
        var testApp = new LabTestApp(app);
        // Start completes only once every resource was created, and one that waits on a failed cluster is created
        // after Retry: such a test goes on while the app is still starting.
        testApp.Started = app.StartAsync(testApp.Token);
        if (awaitStart)
            await testApp.Started;
        return testApp;
    }

    /// <summary>An empty AppHost; it finds DCP through the test assembly (which references Aspire.Hosting.AppHost for that).</summary>
    public static IDistributedApplicationTestingBuilder CreateBuilder() => DistributedApplicationTestingBuilder.Create();

    public Task<ResourceEvent> WaitForAsync(string resource, Func<CustomResourceSnapshot, bool> predicate) =>
        Notifications.WaitForResourceAsync(resource, e => predicate(e.Snapshot), Token);

    public Task<ResourceEvent> WaitForStateAsync(string resource, string state) =>
        WaitForAsync(resource, s => s.State?.Text == state);

    public CustomResourceSnapshot Snapshot(string resource) =>
        Notifications.TryGetCurrentState(resource, out var e) ? e.Snapshot : throw new KeyNotFoundException(resource);

    public Task<ExecuteCommandResult> ExecuteAsync(string resource, string command, CancellationToken? cancellationToken = null) =>
        App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, cancellationToken ?? Token);

    public async Task<List<string>> LogAsync(string resource)
    {
        var lines = new List<string>();
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(Token))
            lines.AddRange(batch.Select(l => l.Content));
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _timeout.Dispose();
    }
}

internal static class SnapshotAssertions
{
    public static string? Property(this CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    public static ResourceCommandState? CommandState(this CustomResourceSnapshot snapshot, string command) =>
        snapshot.Commands.FirstOrDefault(c => c.Name == command)?.State;
}
