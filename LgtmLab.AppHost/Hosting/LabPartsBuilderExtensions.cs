using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;

namespace Aspire.Hosting;

/// <summary>What runs on the lab's clusters: the LGTM stack, the Linkerd link, TNS.</summary>
public static class LabPartsBuilderExtensions
{
    /// <summary>Relationship type of the telemetry data flow shown in the dashboard's graph.</summary>
    public const string TelemetryRelationship = "Telemetry";

    /// <summary>
    /// Runs the Grafana LGTM stack on central (Traefik, Mimir, Loki, Tempo, Grafana) and the agents (Prometheus,
    /// Alloy) on every cluster, each remote shipping its telemetry under its own tenant. Adds nothing when
    /// <c>Lab:Components:Lgtm</c> is false.
    /// </summary>
    /// <param name="central">The central cluster.</param>
    /// <returns><paramref name="central"/>, for chaining.</returns>
    public static IResourceBuilder<KindClusterResource> WithLgtmStack(this IResourceBuilder<KindClusterResource> central)
    {
        ArgumentNullException.ThrowIfNull(central);
        var model = central.Resource.Lab.Model;
        if (central.Resource.Role != ClusterRole.Central)
            throw new InvalidOperationException($"WithLgtmStack goes on the central cluster; {central.Resource.Name} is a remote (remotes get the agents by themselves).");
        if (!model.Options.Enabled || !model.Options.Components.Lgtm || model.HasLgtmStack)
            return central;

        model.HasLgtmStack = true;
        var password = central.ApplicationBuilder.AddParameter(GrafanaAccess.AdminPasswordParameter,
                new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true)
            .WithDescription("Grafana's admin password (user admin); the lab writes it into the Secret observability/grafana-admin.");
        model.GrafanaAdminPassword = password.Resource;
        central.AddAgents();
        // Remotes added from now on get their agents as they are added (AddRemote).
        foreach (var remote in model.Remotes)
            central.ApplicationBuilder.CreateResourceBuilder(remote).AddAgents();
        foreach (var remote in model.Remotes.Where(r => model.LinkedRemotes.Contains(r.Name)))
            central.ApplicationBuilder.CreateResourceBuilder(remote).WithTelemetryFlow();
        return central;
    }

    /// <summary>
    /// Links <paramref name="remote"/> to <paramref name="central"/> with Linkerd multicluster: Linkerd (control
    /// plane, viz, multicluster gateway) on both, and the link that mirrors central's exported services (Mimir,
    /// Loki, Tempo) into the remote, through which its agents send their telemetry. Adds nothing when
    /// <c>Lab:Components:Linkerd</c> is false; while it is on, every remote must be linked.
    /// </summary>
    /// <param name="remote">The remote cluster.</param>
    /// <param name="central">The central cluster.</param>
    /// <returns><paramref name="remote"/>, for chaining.</returns>
    public static IResourceBuilder<KindClusterResource> LinkTo(this IResourceBuilder<KindClusterResource> remote, IResourceBuilder<KindClusterResource> central)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(central);
        var model = remote.Resource.Lab.Model;
        if (remote.Resource.Role != ClusterRole.Remote || central.Resource.Role != ClusterRole.Central)
            throw new InvalidOperationException($"LinkTo links a remote to central: {remote.Resource.Name} is {remote.Resource.Role}, {central.Resource.Name} is {central.Resource.Role}.");
        if (!model.Options.Enabled || !model.Options.Components.Linkerd || !model.LinkedRemotes.Add(remote.Resource.Name))
            return remote;

        if (!model.Components.Any(c => c.Cluster == central.Resource && c.Kind == "Linkerd"))
            central.AddMesh();
        remote.AddMesh();
        var link = remote.AddComponent("link", "Link");
        link.WithRelationship(central.Resource, "Target");
        if (model.HasLgtmStack)
            remote.WithTelemetryFlow();
        return remote;
    }

    /// <summary>
    /// Runs Grafana's TNS demo (db, app, loadgen) in <paramref name="remote"/>: LgtmLab.TnsSample built into an
    /// image, loaded into the cluster and deployed with its OTLP going to the cluster's Alloy. Adds nothing when
    /// <c>Lab:Components:Tns</c> is false.
    /// </summary>
    /// <param name="remote">A remote cluster.</param>
    /// <returns><paramref name="remote"/>, for chaining.</returns>
    public static IResourceBuilder<KindClusterResource> WithTns(this IResourceBuilder<KindClusterResource> remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var model = remote.Resource.Lab.Model;
        if (remote.Resource.Role != ClusterRole.Remote)
            throw new InvalidOperationException($"TNS runs in a remote cluster; {remote.Resource.Name} is central.");
        if (!model.Options.Enabled || !model.Options.Components.Tns || !model.TnsRemotes.Add(remote.Resource.Name))
            return remote;
        var tns = remote.AddComponent("tns", "Workload");
        if (model.Components.FirstOrDefault(c => c.Cluster == remote.Resource && c.Name == StepIds.Resource(remote.Resource.Name, "alloy")) is { } alloy)
            tns.WithRelationship(alloy, TelemetryRelationship);
        return remote;
    }

    /// <summary>Adds a component resource, child of the cluster, driven by the engine's steps of the same name.</summary>
    internal static IResourceBuilder<LabComponentResource> AddComponent(this IResourceBuilder<KindClusterResource> cluster, string component, string kind)
    {
        var model = cluster.Resource.Lab.Model;
        var name = StepIds.Resource(cluster.Resource.Name, component);
        var resource = new LabComponentResource(name, cluster.Resource, kind);
        if (model.Has(name))
            throw new InvalidOperationException($"The lab already has a resource named '{name}'; give each part of {cluster.Resource.Name} its own name.");
        model.Add(resource);
        return cluster.ApplicationBuilder.AddResource(resource)
            .WithParentRelationship(cluster)
            .WithIconName(IconOf(kind))
            .WithLabLifecycle(model, kind);
    }

    private static void AddMesh(this IResourceBuilder<KindClusterResource> cluster)
    {
        cluster.AddComponent("linkerd", "Linkerd");
        cluster.AddComponent("linkerd-viz", "HelmRelease");
        cluster.AddComponent("linkerd-multicluster", "HelmRelease");
    }

    internal static void AddAgents(this IResourceBuilder<KindClusterResource> cluster)
    {
        var options = cluster.Resource.Lab.Model.Options;
        cluster.AddComponent("namespaces", "Namespaces");
        var clusterOptions = cluster.Resource.Role == ClusterRole.Central ? options.Central : RemoteOptions(options, cluster.Resource.Name);
        foreach (var component in ObservabilityComponents.For(options, clusterOptions))
            cluster.AddComponent(component.Name, component.ManifestsDirectory is null ? "HelmRelease" : "Manifests");
    }

    /// <summary>The remote's agents send through the link to central's Mimir, Loki and Tempo: the graph shows
    /// remote agents -> link -> central stores.</summary>
    private static void WithTelemetryFlow(this IResourceBuilder<KindClusterResource> remote)
    {
        var model = remote.Resource.Lab.Model;
        LabComponentResource? Find(string cluster, string component) =>
            model.Components.FirstOrDefault(c => c.Name == StepIds.Resource(cluster, component));
        if (Find(remote.Resource.Name, "link") is not { } link || model.Central is not { } central)
            return;
        var builder = remote.ApplicationBuilder;
        foreach (var agent in new[] { "prometheus", "alloy" }.Select(a => Find(remote.Resource.Name, a)).OfType<LabComponentResource>())
            builder.CreateResourceBuilder(agent).WithRelationship(link, TelemetryRelationship);
        foreach (var store in new[] { "mimir", "loki", "tempo" }.Select(s => Find(central.Name, s)).OfType<LabComponentResource>())
            builder.CreateResourceBuilder(link).WithRelationship(store, TelemetryRelationship);
    }

    /// <summary>The <c>Lab:Remotes</c> entry of that name, or a new one (default CIDRs, ports and tenant).</summary>
    internal static ClusterOptions RemoteOptions(LabOptions options, string name) =>
        options.Remotes.FirstOrDefault(r => r.Name == name) ?? new ClusterOptions { Name = name };

    /// <summary>A dashboard icon (Fluent UI name) per kind of component.</summary>
    private static string IconOf(string kind) => kind switch
    {
        "HelmRelease" => "Box",
        "Manifests" => "DocumentBulletList",
        "Routes" => "ArrowRouting",
        "Link" => "PlugConnected",
        "Linkerd" => "ShieldLock",
        "Namespaces" => "Folder",
        "Workload" => "AppGeneric",
        _ => "Cube",
    };
}
