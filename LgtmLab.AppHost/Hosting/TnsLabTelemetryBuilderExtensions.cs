using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Observability;

namespace Aspire.Hosting;

/// <summary>Sends the local (F5) TNS projects' telemetry into the lab as well as to the Aspire dashboard.</summary>
public static class TnsLabTelemetryBuilderExtensions
{
    /// <summary>The variable of the OpenTelemetry SDK that holds extra resource attributes.</summary>
    public const string ResourceAttributesVariable = "OTEL_RESOURCE_ATTRIBUTES";

    /// <summary>
    /// When the lab runs the LGTM stack, each local TNS project also sends its traces, metrics and logs over
    /// OTLP/gRPC to <paramref name="remote"/>'s Alloy through the host port kind maps into that cluster's node
    /// (<c>http://127.0.0.1:14317</c> for the first remote by default), tagged <c>lgtmlab.run=local</c> so Grafana
    /// tells them from the TNS running in the cluster (Alloy's local-run receiver sets the same attribute). The
    /// dashboard stays the primary endpoint; while the lab is down the extra endpoint costs the projects nothing.
    /// </summary>
    /// <param name="tns">The local TNS projects.</param>
    /// <param name="remote">The remote cluster whose Alloy receives the local run's telemetry.</param>
    /// <returns><paramref name="tns"/>, for chaining.</returns>
    public static TnsProjects WithLabTelemetry(this TnsProjects tns, IResourceBuilder<KindClusterResource> remote)
    {
        ArgumentNullException.ThrowIfNull(tns);
        ArgumentNullException.ThrowIfNull(remote);
        foreach (var project in tns.All)
        {
            // Read when the projects start: by then every verb has run, whatever their order in Program.cs.
            project.WithEnvironment(context =>
            {
                if (LocalRunEndpoint(remote.Resource) is not { } endpoint)
                    return;
                context.EnvironmentVariables["LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS"] = endpoint;
                context.EnvironmentVariables["LGTMLAB_OTLP_ADDITIONAL_PROTOCOL"] = "grpc";
                // Aspire already puts service.instance.id here: append rather than replace.
                var tag = $"{AlloyConfig.LocalRunAttribute}={AlloyConfig.LocalRunValue}";
                context.EnvironmentVariables[ResourceAttributesVariable] =
                    context.EnvironmentVariables.TryGetValue(ResourceAttributesVariable, out var existing) && existing is string { Length: > 0 } attributes
                        ? $"{attributes},{tag}"
                        : tag;
            });
        }
        return tns;
    }

    /// <summary>The remote's local-run OTLP/gRPC URL on the host, or null when the lab is off or runs no LGTM stack or no TNS.</summary>
    /// <param name="remote">A remote cluster of the lab.</param>
    public static string? LocalRunEndpoint(KindClusterResource remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var model = remote.Lab.Model;
        if (!model.Options.Enabled || !model.HasLgtmStack || model.TnsRemotes.Count == 0 || remote.Role != ClusterRole.Remote)
            return null;
        var options = LabPartsBuilderExtensions.RemoteOptions(model.Options, remote.Name);
        var port = HostPortDefaults.For(ClusterRole.Remote, remote.Index, options.HostPorts, $"Lab:Remotes:{remote.Index - 1}").Single(p => p.Name == "otlp-grpc").HostPort;
        return $"http://127.0.0.1:{port}";
    }
}
