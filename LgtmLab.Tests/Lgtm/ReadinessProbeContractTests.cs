namespace LgtmLab.Tests.Lgtm;

/// <summary>Each component's resource is healthy only while its own readiness endpoint answers (through the API server's service proxy).</summary>
public sealed class ReadinessProbeContractTests : IAsyncLifetime
{
    private LgtmContractLab _lab = null!;

    public async Task InitializeAsync()
    {
        _lab = LgtmContractLab.Create();
        LgtmContractLab.AllSucceeded(await _lab.RunAsync());
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task Every_component_passes_once_installed_by_asking_its_own_readiness_endpoint()
    {
        using var controller = _lab.Controller();
        var probed = controller.Resources.Where(r => r.Probe is not null).ToList();

        var results = new List<string>();
        foreach (var resource in probed)
        {
            var result = await resource.Probe!(CancellationToken.None);
            Assert.True(result.Healthy, $"{resource.Name}: {result.Description}");
            results.Add(resource.Name);
        }

        Assert.Equal(
            ["lgtm-central-alloy", "lgtm-central-grafana", "lgtm-central-loki", "lgtm-central-mimir", "lgtm-central-prometheus",
             "lgtm-central-tempo", "lgtm-central-traefik", "lgtm-remote-alloy", "lgtm-remote-prometheus"],
            results.Order());
        var paths = _lab.Toolbox.Clusters.SelectMany(c => c.Api!.Requests).Select(r => r.Path).Where(p => p.Contains("/proxy", StringComparison.Ordinal)).ToList();
        Assert.Contains("/api/v1/namespaces/loki/services/loki:3100/proxy/ready", paths);
        Assert.Contains("/api/v1/namespaces/traefik/services/traefik-internal:8080/proxy/ping", paths);
        Assert.Contains("/api/v1/namespaces/observability/services/grafana:80/proxy/api/health", paths);
    }

    [Fact]
    public async Task A_component_that_is_not_ready_fails_with_what_its_endpoint_said()
    {
        using var controller = _lab.Controller();
        var loki = controller.Resources.Single(r => r.Name == "lgtm-central-loki");
        _lab.Central.Api!.SetServiceProxyAnswer("loki", "loki", 503, "Ingester not ready: waiting for 15s after being ready");

        var result = await loki.Probe!(CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Contains("loki:3100/ready", result.Description, StringComparison.Ordinal);
        Assert.Contains("503", result.Description, StringComparison.Ordinal);
        Assert.Contains("Ingester not ready", result.Description, StringComparison.Ordinal);

        _lab.Central.Api.ClearServiceProxyAnswer("loki", "loki");
        Assert.True((await loki.Probe(CancellationToken.None)).Healthy);
    }

    [Fact]
    public async Task A_component_without_ready_pods_or_without_its_service_fails_saying_which()
    {
        using var controller = _lab.Controller();
        var mimir = controller.Resources.Single(r => r.Name == "lgtm-central-mimir");
        var api = _lab.Central.Api!;

        api.HoldWorkloadsNotReady = true;
        var noPods = await mimir.Probe!(CancellationToken.None);
        api.HoldWorkloadsNotReady = false;
        api.Send("DELETE", "/api/v1/namespaces/mimir/services/mimir");
        var noService = await mimir.Probe(CancellationToken.None);

        Assert.False(noPods.Healthy);
        Assert.Contains("no endpoints available", noPods.Description, StringComparison.Ordinal);
        Assert.False(noService.Healthy);
        Assert.Contains("not found", noService.Description, StringComparison.Ordinal);
        Assert.Contains("mimir:8080/ready", noService.Description, StringComparison.Ordinal);
    }
}
