using Aspire.Hosting.ApplicationModel;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Adds the kind-cluster lab (clusters, their components, dashboard commands) to an AppHost.</summary>
public static class LabBuilderExtensions
{
    const string HostLoggerCategory = "LgtmLab.Lab";

    /// <summary>
    /// Adds the lab described by the <c>Lab</c> section of <paramref name="configuration"/>, provisioned by the
    /// engine (<see cref="LabController"/>): one <see cref="KindClusterResource"/> per cluster with a
    /// <see cref="LabComponentResource"/> child per component, all visible from the first second; provisioning runs
    /// in the background as soon as Aspire has initialized them, so nothing else waits on it.
    /// With <c>Lab:Enabled=false</c> nothing is added and the section is not validated.
    /// </summary>
    /// <param name="builder">The AppHost builder.</param>
    /// <param name="configuration">Configuration holding the <c>Lab</c> section (usually <c>builder.Configuration</c>).</param>
    /// <param name="controllerOptions">Where the engine finds its tools and assets; the defaults are right for a real run.</param>
    /// <returns>The added resources, for dependents that want to <c>WaitFor</c> a cluster.</returns>
    /// <exception cref="LabConfigurationException">The <c>Lab</c> section is invalid; the message names every bad key and its fix.</exception>
    public static LabBuilder AddLab(
        this IDistributedApplicationBuilder builder,
        IConfiguration configuration,
        LabControllerOptions? controllerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!configuration.GetSection(LabOptions.SectionName).GetValue(nameof(LabOptions.Enabled), true))
            return new LabBuilder(new LabOptions { Enabled = false }, [], []);

        var topology = LabConfiguration.Load(configuration);
        controllerOptions ??= new LabControllerOptions { Contributions = LabContributions.Default };
        if (topology.Components.Lgtm && controllerOptions.GrafanaAdminPassword is null && controllerOptions.Contributions.OfType<LgtmContribution>().Any())
        {
            var password = builder.AddGrafanaAdminPassword();
            controllerOptions = controllerOptions with { GrafanaAdminPassword = password.Resource.GetValueAsync };
        }
        return builder.AddLab(topology.Options, _ => new LabController(topology, controllerOptions));
    }

    /// <summary>
    /// Adds the lab described by <paramref name="options"/>, provisioned by the controller that
    /// <paramref name="controllerFactory"/> builds. With <see cref="LabOptions.Enabled"/> false nothing is added.
    /// </summary>
    /// <param name="builder">The AppHost builder.</param>
    /// <param name="options">What lab to build.</param>
    /// <param name="controllerFactory">Builds the controller that provisions the lab.</param>
    /// <returns>The added resources, for dependents that want to <c>WaitFor</c> a cluster.</returns>
    public static LabBuilder AddLab(
        this IDistributedApplicationBuilder builder,
        LabOptions options,
        Func<LabOptions, ILabController> controllerFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(controllerFactory);
        if (!options.Enabled)
            return new LabBuilder(options, [], []);
        if (builder.Services.Any(s => s.ServiceType == typeof(LabOperations)))
            throw new InvalidOperationException("AddLab was called twice; an AppHost holds one lab (add clusters through the Lab configuration section).");

        var lab = new LabModel(options, controllerFactory(options));
        var (clusters, components) = AddResources(builder, lab);

        builder.Services.AddSingleton(services =>
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(HostLoggerCategory);
            var publisher = new LabStatePublisher(lab, services.GetRequiredService<ResourceNotificationService>(),
                services.GetRequiredService<ResourceLoggerService>(), logger);
            return new LabOperations(lab, publisher, logger, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        });
        if (options.Lifetime == ClusterLifetime.Session)
            builder.AddSessionCleanup();

        return new LabBuilder(options, clusters, components);
    }

    static (List<IResourceBuilder<KindClusterResource>>, List<IResourceBuilder<LabComponentResource>>) AddResources(
        IDistributedApplicationBuilder builder, LabModel lab)
    {
        var definitions = lab.Controller.Resources;
        var clusters = definitions.Where(d => d.Parent is null)
            .Select(d => builder.AddKindCluster(lab, d))
            .ToList();
        var central = lab.Central;
        foreach (var cluster in clusters.Where(c => c.Resource == central))
            cluster.WithDeleteLabCommand(lab);

        var components = new List<IResourceBuilder<LabComponentResource>>();
        foreach (var definition in definitions.Where(d => d.Parent is not null))
        {
            var parent = clusters.FirstOrDefault(c => c.Resource.Name == definition.Parent)
                ?? throw new InvalidOperationException(
                    $"Lab resource '{definition.Name}' names '{definition.Parent}' as its cluster, but the controller lists no such cluster (clusters: {string.Join(", ", clusters.Select(c => c.Resource.Name))}).");
            components.Add(builder.AddLabComponent(lab, parent, definition));
        }
        return (clusters, components);
    }

    /// <summary>What every lab resource shares: its first snapshot, health from its steps, and Retry.</summary>
    internal static IResourceBuilder<T> WithLabLifecycle<T>(this IResourceBuilder<T> resource, LabModel lab, LabResource definition)
        where T : IResource
    {
        var healthKey = $"lab-{resource.Resource.Name}";
        resource.ApplicationBuilder.Services.AddHealthChecks()
            .AddCheck(healthKey, new LabResourceHealthCheck(lab.Board, definition));

        foreach (var action in definition.Actions)
            resource.WithLabAction(lab, action);

        return resource
            .ExcludeFromManifest()
            .WithInitialState(LabSnapshots.Initial(definition))
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
                        && lab.Board.StatusOf(resource.Resource.Name).Phase is LabResourcePhase.Failed or LabResourcePhase.Blocked
                        ? ResourceCommandState.Enabled
                        : ResourceCommandState.Disabled,
                });
    }

    /// <summary>A contribution's command: read-only ones need the resource running; mutating ones an idle lab.</summary>
    static IResourceBuilder<T> WithLabAction<T>(this IResourceBuilder<T> resource, LabModel lab, LabResourceAction action)
        where T : IResource =>
        resource.WithCommand(action.Name, action.DisplayName, ctx =>
                ctx.Services.GetRequiredService<LabOperations>().RunActionAsync(resource.Resource, action, ctx.CancellationToken),
            new CommandOptions
            {
                Description = action.Description,
                IconName = action.IconName,
                ConfirmationMessage = action.ConfirmationMessage,
                UpdateState = _ => lab.Board.StatusOf(resource.Resource.Name).Phase switch
                {
                    LabResourcePhase.Running => ResourceCommandState.Enabled,
                    LabResourcePhase.Failed when action.Mutates && lab.CurrentOperation is null => ResourceCommandState.Enabled,
                    _ => ResourceCommandState.Disabled,
                },
            });

    /// <summary>
    /// Grafana's admin password as an Aspire secret parameter: <c>Parameters:grafana-admin-password</c> when set,
    /// otherwise generated once and kept in the AppHost's user secrets, so re-runs keep the same password.
    /// </summary>
    static IResourceBuilder<ParameterResource> AddGrafanaAdminPassword(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter(GrafanaAccess.AdminPasswordParameter,
                new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true)
            .WithDescription("Grafana's admin password (user admin); the lab writes it into the Secret observability/grafana-admin.");

    static void AddSessionCleanup(this IDistributedApplicationBuilder builder)
    {
        // Deleting kind clusters takes a few seconds each; the default 30 s shutdown would cut it short.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2) > o.ShutdownTimeout ? TimeSpan.FromMinutes(2) : o.ShutdownTimeout);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LabSessionCleanup>());
    }
}
