using System.Diagnostics;
using LgtmLab.AppHost.Mesh;
using LgtmLab.Tests.Hosting;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Mesh;

/// <summary>The mesh in the dashboard: the AppHost with the real engine and the mesh, against the fake tools.</summary>
[Collection(AppHostCollection.Name)]
public class MeshDashboardTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_link_turns_healthy_from_its_probe_and_its_commands_and_the_issuer_rotation_run_from_the_dashboard()
    {
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var fakes = FakeToolsLab.Create(contributions: [new MeshContribution()]);
        var (builder, lab) = fakes.CreateAppHost(withTns: false, ("Lab:Lifetime", "Session"));
        Assert.Contains("lgtm-remote-link", lab.Model.Components.Select(c => c.Name));

        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

        var link = (await notifications.WaitForResourceHealthyAsync("lgtm-remote-link", ct)).Snapshot;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s lgtm-remote-link {link.State?.Text} {link.HealthStatus}");
        Assert.Equal(KnownResourceStates.Running, link.State?.Text);
        Assert.Equal("Link", link.ResourceType);
        Assert.Contains(link.HealthReports, r => r.Description?.StartsWith("gateway of lgtm-central at ", StringComparison.Ordinal) == true && r.Description.Contains(" alive, latency 2ms", StringComparison.Ordinal));
        var linkerd = (await notifications.WaitForResourceHealthyAsync("lgtm-central-linkerd", ct)).Snapshot;
        // Live: the run made the issuer, so the resource shows its expiry, not what it showed before the run.
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$", linkerd.Property("lab.issuerExpires"));

        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var gateways = await commands.ExecuteCommandAsync("lgtm-remote-link", LinkHealth.GatewaysCommand, ct);
        Assert.True(gateways.Success, gateways.Message);
        var check = await commands.ExecuteCommandAsync("lgtm-remote-link", LinkHealth.CheckCommand, ct);
        Assert.True(check.Success, check.Message);
        var log = await LogAsync(app, "lgtm-remote-link", ct);
        Assert.Contains(log, l => l.Contains("CLUSTER", StringComparison.Ordinal) && l.Contains("LATENCY", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("Status check results are √", StringComparison.Ordinal));

        fakes.Toolbox.ClearJournal();
        var issuerBefore = notifications.TryGetCurrentState("lgtm-remote-linkerd", out var before) ? before.Snapshot.Property("lab.issuer") : null;
        Assert.NotNull(issuerBefore);
        var rotate = await commands.ExecuteCommandAsync("lgtm-remote-linkerd", IssuerRotation.CommandName, ct);
        Assert.True(rotate.Success, rotate.Message);
        var upgrade = Assert.Single(fakes.Toolbox.Mutating);
        Assert.StartsWith("helm upgrade --install linkerd-control-plane ", upgrade.CommandLine);
        Assert.Contains("kind-lgtm-remote", upgrade.CommandLine);
        // The property follows the rotation on the running AppHost.
        await notifications.WaitForResourceAsync("lgtm-remote-linkerd", e => e.Snapshot.Property("lab.issuer") is { } now && now != issuerBefore, ct);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s done");
    }

    private static async Task<List<string>> LogAsync(DistributedApplication app, string resource, CancellationToken ct)
    {
        var lines = new List<string>();
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resource).WithCancellation(ct))
            lines.AddRange(batch.Select(l => l.Content));
        return lines;
    }
}
