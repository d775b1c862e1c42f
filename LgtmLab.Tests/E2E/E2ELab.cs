using System.Security.Cryptography;
using Aspire.Hosting.Testing;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LgtmLab.Tests.E2E;

/// <summary>
/// The default lab brought up once by the real AppHost (Program.cs, under Aspire.Hosting.Testing) for the
/// end-to-end tests, on real kind clusters. Nothing starts until a test asks for it, so skipped tests cost nothing.
/// </summary>
public sealed class E2ELab : IAsyncLifetime
{
    /// <summary>
    /// The Aspire secret parameter holding Grafana's admin password (the LGTM part's; Aspire reads it from
    /// <c>Parameters:grafana-admin-password</c>). The tests set it, so they know it.
    /// </summary>
    public const string GrafanaPasswordParameter = LgtmLab.AppHost.Observability.GrafanaAccess.AdminPasswordParameter;

    /// <summary>Overrides the generated test password (e.g. to reuse a lab a developer already has up).</summary>
    public const string GrafanaPasswordVariable = "LGTMLAB_E2E_GRAFANA_PASSWORD";

    public static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(40);

    private readonly Lock _gate = new();
    private DistributedApplication? _app;
    private Task? _up;

    public string GrafanaPassword { get; } = Environment.GetEnvironmentVariable(GrafanaPasswordVariable) is { Length: > 0 } configured
        ? configured
        : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The AppHost's configuration (its appsettings.json) plus the test's settings: the same lab the AppHost builds.</summary>
    public IConfiguration Configuration => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(LgtmLab.Tests.Observability.LabAssets.RepoRoot, "LgtmLab.AppHost", "appsettings.json"))
        .AddInMemoryCollection(new Dictionary<string, string?> { [$"Parameters:{GrafanaPasswordParameter}"] = GrafanaPassword })
        .Build();

    internal LabOptions Options => LabConfiguration.Load(Configuration).Options;

    internal ClusterOptions Remote => Options.EffectiveRemotes[0];

    internal GrafanaApi Grafana() => new(GrafanaAccess.LocalhostUrl(Options.Central), GrafanaAccess.AdminUser, GrafanaPassword);

    /// <summary>Grafana's data source of <paramref name="type"/> for the remote's tenant.</summary>
    internal GrafanaDatasource RemoteDatasource(string type) =>
        GrafanaDatasources.For(Options, LgtmLab.Tests.Observability.LabAssets.Product).Single(d => d.Type == type && d.Tenant == Tenants.Of(Remote));

    /// <summary>Starts the AppHost once and waits until every lab resource is healthy; throws with the first failure's message.</summary>
    public Task EnsureUpAsync()
    {
        lock (_gate) return _up ??= StartAsync();
    }

    /// <summary>Stops the AppHost (the clusters persist, as after Ctrl+C).</summary>
    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => StopAsync();

    private async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(UpTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LgtmLab_AppHost>(
            [$"--Parameters:{GrafanaPasswordParameter}={GrafanaPassword}"], timeout.Token);
        var labResources = builder.Resources.Where(r => r is KindClusterResource or LabComponentResource).Select(r => r.Name).ToList();
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);

        foreach (var name in labResources)
        {
            var reached = await _app.ResourceNotifications.WaitForResourceAsync(name,
                e => e.Snapshot.HealthStatus == HealthStatus.Healthy || e.Snapshot.State?.Text == LabSnapshots.Failed,
                timeout.Token);
            if (reached.Snapshot.State?.Text == LabSnapshots.Failed)
            {
                var error = reached.Snapshot.Properties.FirstOrDefault(p => p.Name == LabSnapshots.ErrorProperty)?.Value;
                throw new InvalidOperationException($"{name} failed: {error}");
            }
        }
    }
}
