using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Hosting;

/// <summary>The AppHost's two halves as Program.cs composes them (TNS projects + the lab with the real engine).</summary>
[Collection(AppHostCollection.Name)]
public class LabWithEngineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Without_docker_the_clusters_end_in_the_docker_missing_state_while_the_tns_projects_run()
    {
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var scratch = Directory.CreateTempSubdirectory("lgtmlab-nodocker-");
        try
        {
            var noTools = Directory.CreateDirectory(Path.Combine(scratch.FullName, "bin")).FullName;
            var builder = LabTestApp.CreateBuilder();
            builder.Configuration["Lab:StateDirectory"] = Path.Combine(scratch.FullName, "state");
            builder.Configuration["Lab:Kubeconfig"] = Path.Combine(scratch.FullName, "kubeconfig");
            builder.AddTnsSample();
            var lab = builder.AddLab(builder.Configuration, new LabControllerOptions { SearchPath = noTools });
            Assert.Equal(["lgtm-central", "lgtm-remote"], lab.Clusters.Select(c => c.Resource.Name));

            await using var app = await builder.BuildAsync(ct);
            await app.StartAsync(ct);
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

            foreach (var cluster in lab.Clusters.Select(c => c.Resource.Name))
            {
                var failed = (await notifications.WaitForResourceAsync(cluster, e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, ct)).Snapshot;
                output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s {cluster}: {failed.Property(LabSnapshots.ErrorProperty)}");
                Assert.Contains("Docker is not installed (no docker on PATH)", failed.Property(LabSnapshots.ErrorProperty));
                await notifications.WaitForResourceAsync(cluster, e => e.Snapshot.CommandState(LabCommands.Retry) == ResourceCommandState.Enabled, ct);
            }
            foreach (var component in lab.Components.Select(c => c.Resource.Name))
            {
                var blocked = (await notifications.WaitForResourceAsync(component, e => e.Snapshot.State?.Style == KnownResourceStateStyles.Warn, ct)).Snapshot;
                Assert.Equal(KnownResourceStates.Waiting, blocked.State?.Text);
                Assert.StartsWith("Waiting on lgtm-", blocked.Property(LabSnapshots.StatusProperty));
            }
            var centralLog = await LogAsync(app, "lgtm-central", ct);
            Assert.Contains(centralLog, l => l.Contains("Preflight: Docker is not installed"));

            foreach (var tns in new[] { TnsProjectsBuilderExtensions.DbResourceName, TnsProjectsBuilderExtensions.AppResourceName, TnsProjectsBuilderExtensions.LoadgenResourceName })
            {
                await notifications.WaitForResourceHealthyAsync(tns, ct);
                output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s {tns} healthy");
            }
            using var http = app.CreateHttpClient(TnsProjectsBuilderExtensions.AppResourceName, "http");
            Assert.Contains("Grafana News", await http.GetStringAsync("/", ct));
            Assert.False(Directory.Exists(Path.Combine(scratch.FullName, "state", "clusters")), "preflight failed, so nothing may have been written");
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    static async Task<List<string>> LogAsync(DistributedApplication app, string resource, CancellationToken ct)
    {
        var lines = new List<string>();
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resource).WithCancellation(ct))
            lines.AddRange(batch.Select(l => l.Content));
        return lines;
    }
}
