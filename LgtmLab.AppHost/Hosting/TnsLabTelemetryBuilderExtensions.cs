using Aspire.Hosting.ApplicationModel;
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
    /// When the lab runs the LGTM stack and TNS, each local TNS project also sends its traces, metrics and logs
    /// over OTLP/gRPC to the first remote's Alloy through the host port kind maps into that cluster's node
    /// (<c>http://127.0.0.1:14317</c> by default), tagged <c>lgtmlab.run=local</c> so Grafana tells them from
    /// the TNS running in the cluster (Alloy's local-run receiver sets the same attribute). The dashboard stays
    /// the primary endpoint; while the lab is down the extra endpoint costs the projects nothing.
    /// </summary>
    /// <param name="tns">The local TNS projects.</param>
    /// <param name="lab">The lab <c>AddLab</c> added.</param>
    /// <returns><paramref name="tns"/>, for chaining.</returns>
    public static TnsProjects WithLabTelemetry(this TnsProjects tns, LabBuilder lab)
    {
        ArgumentNullException.ThrowIfNull(tns);
        ArgumentNullException.ThrowIfNull(lab);
        if (LocalRunEndpoint(lab.Options) is not { } endpoint)
            return tns;

        foreach (var project in tns.All)
        {
            project.WithEnvironment(context =>
            {
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

    /// <summary>The first remote's local-run OTLP/gRPC URL on the host, or null when the lab has no Alloy or no TNS.</summary>
    /// <param name="options">The lab's configuration.</param>
    public static string? LocalRunEndpoint(LabOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled || !options.Components.Lgtm || !options.Components.Tns || options.EffectiveRemotes.Count == 0)
            return null;
        var remote = options.EffectiveRemotes[0];
        var port = HostPortDefaults.For(ClusterRole.Remote, 1, remote.HostPorts, "Lab:Remotes:0").Single(p => p.Name == "otlp-grpc").HostPort;
        return $"http://127.0.0.1:{port}";
    }
}
