using System.Text;
using Aspire.Hosting.Testing;
using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Observability;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

using LgtmLab.Tests.Hosting;

namespace LgtmLab.Tests.Lgtm;

/// <summary>
/// The LGTM part under Aspire with the fake tools: the admin password comes from the Aspire secret parameter into
/// the cluster's Secret and into no resource log; Grafana's resource shows both URLs and gets healthy from its probe.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class LgtmAppHostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_secret_parameter_reaches_grafanas_secret_and_no_log_and_grafana_shows_its_urls()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var lab = LgtmContractLab.Create();
        var password = lab.Password;
        var builder = DistributedApplicationTestingBuilder.Create();
        foreach (var (key, value) in lab.Lab.Configuration.AsEnumerable().Where(s => s.Value is not null))
            builder.Configuration[key] = value;
        builder.Configuration[$"Parameters:{GrafanaAccess.AdminPasswordParameter}"] = password;
        builder.AddDefaultLab(lab.Options with { GrafanaAdminPassword = null });

        var parameter = Assert.Single(builder.Resources.OfType<ParameterResource>());
        Assert.Equal(GrafanaAccess.AdminPasswordParameter, parameter.Name);
        Assert.True(parameter.Secret);

        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var grafana = (await notifications.WaitForResourceHealthyAsync("lgtm-central-grafana", ct)).Snapshot;

        var secret = lab.Central.Api!.Get("v1", "Secret", GrafanaAccess.Namespace, GrafanaAccess.AdminSecretName)!;
        Assert.Equal(password, Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![GrafanaAccess.AdminPasswordKey]!)));
        Assert.Equal(KnownResourceStates.Running, grafana.State?.Text);
        Assert.Contains(grafana.Urls, u => u.Url == "https://grafana.example.com");
        Assert.Contains(grafana.Urls, u => u.Url == $"http://localhost:{lab.Lab.Configuration["Lab:Central:HostPorts:http"]}");
        Assert.Contains(grafana.Commands, c => c.Name == GrafanaResource.SmokeQueryCommand);

        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var resources = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Select(r => r.Name).ToList();
        var lines = 0;
        foreach (var resource in resources)
        {
            using var read = CancellationTokenSource.CreateLinkedTokenSource(ct);
            read.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(read.Token))
                    foreach (var line in batch)
                    {
                        lines++;
                        Assert.DoesNotContain(password, line.Content, StringComparison.Ordinal);
                    }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }
        Assert.True(lines > 50, $"only {lines} log lines were read");
        output.WriteLine($"{lines} resource log lines of {resources.Count} resources searched");
        await app.StopAsync(ct);
    }
}
