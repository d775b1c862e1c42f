using Aspire.Hosting.Testing;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using LgtmLab.ServiceDefaults.Telemetry;

namespace LgtmLab.Tests.TnsCluster;

/// <summary>
/// F5: the AppHost's local TNS projects send OTLP to the dashboard and, when the lab has the LGTM stack and TNS,
/// to the first remote's Alloy through its host port, tagged as the local run the way Alloy tags it.
/// </summary>
public sealed class TnsLabTelemetryTests
{
    [Fact]
    public async Task The_local_projects_also_export_to_the_first_remotes_Alloy_tagged_as_the_local_run()
    {
        var environment = await EnvironmentOfAsync(TnsProjectsBuilderExtensions.AppResourceName, "--Lab:Remotes:0:HostPorts:otlp-grpc=24317");

        Assert.Equal("http://127.0.0.1:24317", environment[OtlpDestinations.AdditionalEndpointsKey]);
        Assert.Equal("grpc", environment[OtlpDestinations.AdditionalProtocolKey]);
        Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]); // Aspire's dashboard export, untouched
        var attributes = environment["OTEL_RESOURCE_ATTRIBUTES"].Split(',');
        Assert.Contains($"{AlloyConfig.LocalRunAttribute}={AlloyConfig.LocalRunValue}", attributes);
        Assert.Contains(attributes, a => a.StartsWith("service.instance.id=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--Lab:Enabled=false")]
    [InlineData("--Lab:Components:Tns=false")]
    [InlineData("--Lab:Components:Lgtm=false")]
    public async Task Without_a_lab_with_Alloy_and_TNS_they_export_to_the_dashboard_only(string setting)
    {
        var environment = await EnvironmentOfAsync(TnsProjectsBuilderExtensions.LoadgenResourceName, setting);

        Assert.False(environment.ContainsKey(OtlpDestinations.AdditionalEndpointsKey));
        Assert.DoesNotContain(AlloyConfig.LocalRunAttribute, environment.GetValueOrDefault("OTEL_RESOURCE_ATTRIBUTES") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void The_endpoint_is_the_default_host_port_of_the_first_remote_that_kind_maps_to_Alloys_node_port()
    {
        var builder = DistributedApplication.CreateBuilder();
        var lab = builder.AddLab();
        var central = lab.AddCentral().WithLgtmStack();
        var remote = lab.AddRemote("lgtm-remote").LinkTo(central).WithTns();
        Assert.Equal("http://127.0.0.1:14317", TnsLabTelemetryBuilderExtensions.LocalRunEndpoint(remote.Resource));
        Assert.Equal(AlloyConfig.LocalRunGrpcNodePort, HostPortDefaults.ContainerPorts(ClusterRole.Remote)["otlp-grpc"]);
        Assert.Equal(AlloyConfig.LocalRunGrpcPort, HostPortDefaults.DefaultHostPort(ClusterRole.Remote, 1, "otlp-grpc"));
    }

    /// <summary>The environment the real AppHost (Program.cs) gives a TNS project, without starting anything.</summary>
    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(string resourceName, params string[] args)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var state = Directory.CreateTempSubdirectory("lgtmlab-f5-").FullName;
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LgtmLab_AppHost>(
                [$"--Lab:StateDirectory={state}", .. args], cts.Token);
            var project = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == resourceName);
            var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), project, [], cts.Token);
            foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
                await callback.Callback(context);
            return context.EnvironmentVariables
                .Where(e => e.Value is string)
                .ToDictionary(e => e.Key, e => (string)e.Value);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
