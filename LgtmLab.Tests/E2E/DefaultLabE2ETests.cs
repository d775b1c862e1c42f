using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools.Installation;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LgtmLab.Tests.E2E;

/// <summary>
/// The lab does what it exists for, on real kind clusters: the default lab comes up with the AppHost, TNS's
/// metrics, logs and traces from the remote reach central Grafana under the remote's tenant and link to each
/// other, the mesh link is healthy, a second run changes nothing, and deleting the lab leaves nothing behind.
/// Runs with LGTMLAB_E2E=1 where Docker and kind exist (.github/workflows/e2e.yml); skipped elsewhere.
/// </summary>
[Collection(AppHostCollection.Name)]
[Trait("Category", "E2E")]
[TestCaseOrderer(E2EOrderer.TypeName, E2EOrderer.AssemblyName)]
public sealed partial class DefaultLabE2ETests(E2ELab lab, ITestOutputHelper output) : IClassFixture<E2ELab>
{
    private static readonly TimeSpan TelemetryTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    [GeneratedRegex(@"traceID=([0-9a-f]{32})")]
    private static partial Regex TraceIdField();

    [E2EFact, E2EOrder(1)]
    public async Task The_default_lab_comes_up_healthy_with_Grafana_answering()
    {
        await lab.EnsureUpAsync();
        using var grafana = lab.Grafana();
        var health = await grafana.GetAsync("api/health", CancellationToken.None);
        Assert.Equal("ok", (string?)health?["database"]);
    }

    [E2EFact, E2EOrder(2)]
    public async Task TNS_metrics_from_the_remote_are_in_its_Mimir_tenant_with_the_dashboard_job_labels()
    {
        await lab.EnsureUpAsync();
        using var grafana = lab.Grafana();
        var mimir = lab.RemoteDatasource(GrafanaDatasources.MimirType);

        var series = await EventuallyAsync("tns_request_duration_seconds_count for tns/app in Mimir", async token =>
        {
            var answer = await grafana.ProxyAsync(mimir.Uid, "api/v1/query?query=" + Uri.EscapeDataString("sum by (job) (tns_request_duration_seconds_count{job=~\"tns/.+\"})"), token);
            var result = answer?["data"]?["result"]?.AsArray();
            return result is { Count: > 0 } && result.Any(r => (string?)r?["metric"]?["job"] == "tns/app") ? result : null;
        });
        output.WriteLine(series.ToJsonString());
    }

    [E2EFact, E2EOrder(3)]
    public async Task TNS_logs_are_in_Loki_and_a_trace_id_found_in_a_log_line_resolves_in_Tempo()
    {
        await lab.EnsureUpAsync();
        using var grafana = lab.Grafana();
        var loki = lab.RemoteDatasource(GrafanaDatasources.LokiType);
        var tempo = lab.RemoteDatasource(GrafanaDatasources.TempoType);

        var traceId = await EventuallyAsync("a {namespace=\"tns\"} log line with a traceID", async token =>
        {
            var start = DateTimeOffset.UtcNow.AddMinutes(-15).ToUnixTimeMilliseconds() * 1_000_000;
            var answer = await grafana.ProxyAsync(loki.Uid,
                $"loki/api/v1/query_range?limit=500&start={start}&query=" + Uri.EscapeDataString("{namespace=\"tns\"} |= \"traceID=\""), token);
            return answer?["data"]?["result"]?.AsArray()
                .SelectMany(stream => stream?["values"]?.AsArray() ?? [])
                .Select(value => TraceIdField().Match((string?)value?[1] ?? ""))
                .FirstOrDefault(m => m.Success)?.Groups[1].Value;
        });
        output.WriteLine($"trace id from a log line: {traceId}");

        await EventuallyAsync($"trace {traceId} in Tempo", async token =>
            await grafana.ProxyAsync(tempo.Uid, $"api/traces/{traceId}", token) is { } trace && trace.ToJsonString().Contains("\"spanId\"", StringComparison.Ordinal) ? trace : null);
    }

    [E2EFact, E2EOrder(4)]
    public async Task Traces_of_the_service_app_are_in_the_remotes_Tempo_tenant()
    {
        await lab.EnsureUpAsync();
        using var grafana = lab.Grafana();
        var tempo = lab.RemoteDatasource(GrafanaDatasources.TempoType);

        var traces = await EventuallyAsync("traces of service.name=app in Tempo", async token =>
        {
            var answer = await grafana.ProxyAsync(tempo.Uid, "api/search?limit=20&tags=" + Uri.EscapeDataString("service.name=app"), token);
            return answer?["traces"]?.AsArray() is { Count: > 0 } found ? found : null;
        });
        Assert.Contains(traces, t => (string?)t?["rootServiceName"] is "app" or "lb");
    }

    [E2EFact, E2EOrder(5)]
    public async Task The_multicluster_check_passes_and_the_gateway_to_central_is_alive()
    {
        await lab.EnsureUpAsync();
        var context = "kind-" + lab.Remote.Name;

        var check = await RunToolAsync("linkerd", "--context", context, "multicluster", "check");
        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);

        var gateways = await RunToolAsync("linkerd", "--context", context, "multicluster", "gateways");
        Assert.True(gateways.ExitCode == 0, gateways.StandardError);
        var central = gateways.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith(lab.Options.Central.Name, StringComparison.Ordinal));
        Assert.True(central is not null && central.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("True"), gateways.StandardOutput);
    }

    [E2EFact, E2EOrder(6)]
    public async Task A_second_run_converges_without_changing_anything()
    {
        await lab.EnsureUpAsync();
        await lab.StopAsync();

        using var controller = LabController.FromConfiguration(lab.Configuration, new LabControllerOptions { Contributions = LabContributions.Default });
        await controller.RunAsync(new Progress<StepProgress>(), _ => NullLogger.Instance, CancellationToken.None);

        Assert.NotNull(controller.LastRun);
        Assert.True(controller.LastRun.Succeeded, string.Join("; ", controller.LastRun.Outcomes.Values.Where(o => o.Status != StepStatus.Succeeded).Select(o => o.Message)));
        Assert.All(controller.LastRun.Outcomes, o => Assert.False(o.Value.Applied, $"{o.Key} applied changes on a converged lab"));
        Assert.Empty(controller.Tools.Calls.Where(c => c.Mutates).Select(c => c.CommandLine));
    }

    [E2EFact, E2EOrder(7)]
    public async Task Deleting_the_lab_leaves_no_cluster_context_or_state_behind()
    {
        await lab.StopAsync();
        var options = lab.Options;
        var topology = LabConfiguration.Load(lab.Configuration);

        var exit = await LabCommandLine.TryRunAsync([LabCommandLine.DeleteLab]);
        Assert.Equal(0, exit);

        var clusters = await RunToolAsync("kind", "get", "clusters");
        Assert.DoesNotContain(clusters.StandardOutput.Split('\n').Select(l => l.Trim()), c => c == options.Central.Name || options.EffectiveRemotes.Any(r => r.Name == c));
        Assert.False(Directory.Exists(topology.StateDirectory), $"{topology.StateDirectory} is still there");
        var contexts = await RunToolAsync("kubectl", "config", "get-contexts", "-o", "name");
        Assert.DoesNotContain(contexts.StandardOutput.Split('\n').Select(l => l.Trim()), c => c == "kind-" + options.Central.Name || c == "kind-" + lab.Remote.Name);
    }

    /// <summary>Polls until <paramref name="probe"/> returns a value; fails naming <paramref name="what"/> after the telemetry timeout.</summary>
    private async Task<T> EventuallyAsync<T>(string what, Func<CancellationToken, Task<T?>> probe) where T : class
    {
        using var timeout = new CancellationTokenSource(TelemetryTimeout);
        while (true)
        {
            try
            {
                if (await probe(timeout.Token) is { } found) return found;
            }
            catch (HttpRequestException e)
            {
                output.WriteLine($"{what}: {e.Message}");
            }
            try
            {
                await Task.Delay(PollInterval, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no {what} within {TelemetryTimeout.TotalMinutes:0} minutes");
            }
        }
    }

    /// <summary>A pinned tool (the lab's own installer finds or downloads it), run with the lab's kubeconfig.</summary>
    private async Task<BufferedCommandResult> RunToolAsync(string tool, params string[] args)
    {
        var topology = LabConfiguration.Load(lab.Configuration);
        using var installer = new PinnedToolInstaller(LabAssets.Locate(topology.Options).LoadVersions());
        var path = await installer.ResolveAsync(tool, NullLogger.Instance, CancellationToken.None);
        var result = await Cli.Wrap(path).WithArguments(args)
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["KUBECONFIG"] = topology.Kubeconfig })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        output.WriteLine($"$ {tool} {string.Join(' ', args)} -> {result.ExitCode}\n{result.StandardOutput}{result.StandardError}");
        return result;
    }
}
