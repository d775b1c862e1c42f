using LgtmLab.AppHost.Hosting;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LgtmLab.Tests.Hosting;

/// <summary>"Collect diagnostics" from the lab resource's menu, with the real engine against the fake tools.</summary>
[Collection(AppHostCollection.Name)]
public class CollectDiagnosticsCommandTests
{
    [Fact]
    public async Task The_command_writes_the_bundle_and_names_its_path_in_the_result_and_the_log()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var fakes = FakeToolsLab.Create();
        var (builder, lab) = fakes.CreateAppHost(withTns: false);
        var app = await builder.BuildAsync(ct);
        await using (app)
        {
            await app.StartAsync(ct);
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var cluster in lab.Clusters) await notifications.WaitForResourceHealthyAsync(cluster.Name, ct);

            var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("lgtm", LabCommands.CollectDiagnostics, ct);

            Assert.True(result.Success, result.Message);
            var bundle = result.Message!.Split(' ')[3];
            Assert.True(File.Exists(Path.Combine(bundle, "summary.txt")), result.Message);
            Assert.True(File.Exists(bundle + ".zip"));
            var log = new List<string>();
            await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync("lgtm").WithCancellation(ct))
                log.AddRange(batch.Select(l => l.Content));
            Assert.Contains(log, l => l.Contains("Diagnostics written to", StringComparison.Ordinal) && l.Contains(bundle, StringComparison.Ordinal));
            var shown = await notifications.WaitForResourceAsync("lgtm", e => e.Snapshot.Properties.Any(p => p.Name == "lab.diagnostics"), ct);
            Assert.Equal(bundle + ".zip", shown.Snapshot.Properties.Single(p => p.Name == "lab.diagnostics").Value?.ToString());
            await app.StopAsync(ct);
        }
    }
}
