using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>Adds a lab of kind clusters to an AppHost: the lab, its central cluster and its remotes.</summary>
public static class LabBuilderExtensions
{
    /// <summary>
    /// Adds the lab: the parent resource of its clusters, carrying Delete lab and Collect diagnostics. Lab-wide
    /// settings come from the <c>Lab</c> configuration section (lifetime, state folder, kubeconfig, retries,
    /// component switches); the clusters and what runs on them come from the verbs that follow
    /// (<see cref="AddCentral"/>, <see cref="AddRemote"/>, <c>WithLgtmStack</c>, <c>LinkTo</c>, <c>WithTns</c>, ...).
    /// Nothing is read, written or started until the app runs. With <c>Lab:Enabled=false</c> the lab and every
    /// verb on it add nothing to the app model.
    /// </summary>
    /// <param name="builder">The AppHost builder.</param>
    /// <param name="name">The lab's resource name; also its name (state folder <c>~/.lgtmlab/&lt;name&gt;</c>) unless <c>Lab:Name</c> is set.</param>
    /// <returns>The lab, for adding clusters.</returns>
    /// <exception cref="LabConfigurationException">The <c>Lab</c> section has an unknown key or a value of the wrong type.</exception>
    public static IResourceBuilder<KindLabResource> AddLab(this IDistributedApplicationBuilder builder, string name = "lgtm")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddLab(name, new LabControllerOptions());
    }

    /// <summary>The lab with the engine's tools and assets given (tests point it at fake tools).</summary>
    internal static IResourceBuilder<KindLabResource> AddLab(this IDistributedApplicationBuilder builder, string name, LabControllerOptions controllerOptions)
    {
        var options = builder.Configuration.GetSection(LabOptions.SectionName).GetValue(nameof(LabOptions.Enabled), true)
            ? LabConfiguration.Bind(builder.Configuration)
            : new LabOptions { Enabled = false };
        if (builder.Configuration[$"{LabOptions.SectionName}:{nameof(LabOptions.Name)}"] is null)
            options.Name = name;
        return builder.AddLab(name, options, model => LabControllerFactory.Create(model, controllerOptions));
    }

    /// <summary>The lab provisioned by the controller <paramref name="controllerFactory"/> builds when the app starts.</summary>
    internal static IResourceBuilder<KindLabResource> AddLab(
        this IDistributedApplicationBuilder builder, string name, LabOptions options, Func<LabModel, ILabController> controllerFactory)
    {
        var model = new LabModel(options, controllerFactory);
        var lab = new KindLabResource(name, model);
        if (!options.Enabled)
            return builder.CreateResourceBuilder(lab);
        if (builder.Services.Any(s => s.ServiceType == typeof(LabModel)))
            throw new InvalidOperationException("AddLab was called twice; an AppHost holds one lab (add clusters to it with AddCentral and AddRemote).");

        model.Resource = lab;
        builder.Services.AddSingleton(model);
        builder.Services.AddSingleton<LabOperations>();
        builder.Services.TryAddEventingSubscriber<LabProvisioner>();
        if (options.Lifetime == ClusterLifetime.Session)
            builder.AddSessionCleanup();

        return builder.AddResource(lab)
            .WithIconName("Beaker")
            .WithLabLifecycle(model, "KindLab")
            .WithLabCommands(model);
    }

    /// <summary>
    /// The lab with a stand-in engine whose resources are known up front (tests of the hosting layer): its
    /// clusters and components are added as the verbs would add them, and bound to it when the app starts.
    /// </summary>
    internal static IResourceBuilder<KindLabResource> AddLab(this IDistributedApplicationBuilder builder, LabOptions options, ILabController controller)
    {
        var lab = builder.AddLab(options.Name, options, _ => controller);
        if (!options.Enabled)
            return lab;
        var clusters = new Dictionary<string, IResourceBuilder<KindClusterResource>>(StringComparer.Ordinal);
        foreach (var definition in controller.Resources.Where(r => r.Parent is null))
            clusters[definition.Name] = lab.AddCluster(definition.Name, definition.Name == options.Central.Name ? ClusterRole.Central : ClusterRole.Remote, withParts: false);
        foreach (var definition in controller.Resources.Where(r => r.Parent is not null))
            clusters[definition.Parent!].AddComponent(definition.Name[(definition.Parent!.Length + 1)..], definition.Kind);
        return lab;
    }

    /// <summary>
    /// Adds the central cluster: the one that runs the LGTM stack and that every remote links to. Its settings
    /// (host ports, CIDRs, tenant) come from <c>Lab:Central</c>.
    /// </summary>
    /// <param name="lab">The lab.</param>
    /// <param name="name">The kind cluster's name; default <c>Lab:Central:Name</c> (<c>lgtm-central</c>).</param>
    /// <returns>The cluster, for adding what runs on it.</returns>
    public static IResourceBuilder<KindClusterResource> AddCentral(this IResourceBuilder<KindLabResource> lab, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var model = lab.Resource.Model;
        if (model.Central is not null)
            throw new InvalidOperationException($"The lab already has a central cluster ({model.Central.Name}); a lab has one.");
        if (name is not null)
            model.Options.Central.Name = name;
        return lab.AddCluster(model.Options.Central.Name, ClusterRole.Central);
    }

    /// <summary>
    /// Adds a remote cluster: one tenant, running workloads and the agents that ship their telemetry to central.
    /// Its settings come from the <c>Lab:Remotes</c> entry of the same name, if there is one.
    /// </summary>
    /// <param name="lab">The lab.</param>
    /// <param name="name">The kind cluster's name, e.g. <c>lgtm-remote</c>.</param>
    /// <returns>The cluster, for linking it to central and adding what runs on it.</returns>
    public static IResourceBuilder<KindClusterResource> AddRemote(this IResourceBuilder<KindLabResource> lab, string name)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var model = lab.Resource.Model;
        if (model.Central is null && model.Options.Enabled)
            throw new InvalidOperationException($"Add the central cluster before remote {name}: lab.AddCentral() first.");
        return lab.AddCluster(name, ClusterRole.Remote);
    }

    /// <summary>
    /// Adds the remotes of <c>Lab:Remotes</c> (by default one, <c>lgtm-remote</c>), in configuration order.
    /// </summary>
    /// <param name="lab">The lab.</param>
    /// <returns>The remote clusters.</returns>
    public static IReadOnlyList<IResourceBuilder<KindClusterResource>> AddRemotes(this IResourceBuilder<KindLabResource> lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var options = lab.Resource.Model.Options;
        LabTopology.NameUnnamedRemotes(options);
        return [.. options.EffectiveRemotes.Select(r => r.Name).ToList().Select(lab.AddRemote)];
    }

    private static IResourceBuilder<KindClusterResource> AddCluster(this IResourceBuilder<KindLabResource> lab, string name, ClusterRole role, bool withParts = true)
    {
        var model = lab.Resource.Model;
        var cluster = new KindClusterResource(name, lab.Resource, role, model.Clusters.Count);
        if (!model.Options.Enabled)
            return lab.ApplicationBuilder.CreateResourceBuilder(cluster);
        if (model.Has(name))
            throw new InvalidOperationException($"The lab already has a resource named '{name}'; give each cluster its own name.");
        model.Add(cluster);

        var builder = lab.ApplicationBuilder.AddResource(cluster)
            .WithParentRelationship(lab)
            .WithIconName("Server")
            .WithLabLifecycle(model, "KindCluster")
            .WithClusterCommands(model);
        if (!withParts)
            return builder;
        builder.AddComponent("routes", "Routes");
        if (model.Options.Components.MetalLb)
            builder.AddComponent("metallb", "HelmRelease");
        if (role == ClusterRole.Remote && model.HasLgtmStack)
            builder.AddAgents();
        return builder;
    }

    private static void AddSessionCleanup(this IDistributedApplicationBuilder builder)
    {
        // Deleting kind clusters takes a few seconds each; the default 30 s shutdown would cut it short.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2) > o.ShutdownTimeout ? TimeSpan.FromMinutes(2) : o.ShutdownTimeout);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LabSessionCleanup>());
    }
}
