using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.Hosting;

/// <summary>A component's own dashboard commands and live probe, as contributions (mesh, LGTM) declare them.</summary>
[Collection(AppHostCollection.Name)]
public class LabActionsAndProbesTests
{
    [Fact]
    public async Task A_components_commands_log_to_its_resource_and_its_probe_decides_its_health_with_the_reason()
    {
        var gatewayAlive = false;
        var checkRuns = 0;
        var probeRuns = 0;
        var link = ScriptedLabController.DefaultResources.Single(r => r.Name == "lgtm-remote-link") with
        {
            Actions =
            [
                new LabResourceAction("mc-check", "Multicluster check", "Runs the check", async (logger, _) =>
                {
                    Interlocked.Increment(ref checkRuns);
                    logger.LogInformation("√ remote cluster access credentials are valid");
                    await Task.Yield();
                    return "all checks passed";
                }),
                new LabResourceAction("mc-broken", "Broken check", "Fails", (_, _) =>
                    throw new InvalidOperationException("gateway lgtm-central is not alive")),
            ],
            Probe = _ =>
            {
                Interlocked.Increment(ref probeRuns);
                return Task.FromResult(gatewayAlive
                    ? LabProbeResult.Pass("gateway alive, latency 2 ms")
                    : LabProbeResult.Fail("gateway lgtm-central is not alive: probe to 172.18.255.201:4191 failed"));
            },
        };
        var resources = ScriptedLabController.DefaultResources.Select(r => r.Name == link.Name ? link : r).ToList();
        var controller = new ScriptedLabController(resources);
        await using var app = await LabTestApp.StartAsync(controller);

        await app.WaitForAsync("lgtm-remote-link", s => s.CommandState("mc-check") == ResourceCommandState.Enabled);
        var health = app.App.Services.GetRequiredService<HealthCheckService>();
        HealthReport unhealthy;
        do unhealthy = await health.CheckHealthAsync(r => r.Name == "lab-lgtm-remote-link", app.Token);
        while (!(unhealthy.Entries.Single().Value.Description ?? "").Contains("probe to", StringComparison.Ordinal) && await Delay(app.Token));
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("probe to 172.18.255.201:4191 failed", unhealthy.Entries.Single().Value.Description);

        // An unhealthy answer is probed again within seconds.
        gatewayAlive = true;
        await app.Notifications.WaitForResourceHealthyAsync("lgtm-remote-link", app.Token);

        var check = await app.ExecuteAsync("lgtm-remote-link", "mc-check");
        Assert.True(check.Success, check.Message);
        Assert.Equal("all checks passed", check.Message);
        Assert.Equal(1, checkRuns);

        var broken = await app.ExecuteAsync("lgtm-remote-link", "mc-broken");
        Assert.False(broken.Success);
        Assert.Contains("gateway lgtm-central is not alive", broken.Message);

        var log = await app.LogAsync("lgtm-remote-link");
        Assert.Contains(log, l => l.Contains("√ remote cluster access credentials are valid"));
        Assert.Contains(log, l => l.Contains("Broken check failed: gateway lgtm-central is not alive"));

        var healthy = await health.CheckHealthAsync(r => r.Name == "lab-lgtm-remote-link", app.Token);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal("gateway alive, latency 2 ms", healthy.Entries.Single().Value.Description);

        // A healthy answer is reused for 30 s however often the health checks ask: the probe (a CLI) does not run again.
        var runs = probeRuns;
        gatewayAlive = false;
        for (var i = 0; i < 5; i++)
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(r => r.Name == "lab-lgtm-remote-link", app.Token)).Status);
        Assert.Equal(runs, probeRuns);

        // Components without commands get none beyond Retry.
        Assert.Null(app.Snapshot("lgtm-central-grafana").CommandState("mc-check"));
    }

    private static async Task<bool> Delay(CancellationToken token)
    {
        await Task.Delay(50, token);
        return true;
    }
}
