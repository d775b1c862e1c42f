using System.Globalization;
using LgtmLab.AppHost.Lgtm;
using LgtmLab.Tests.Engine;

namespace LgtmLab.Tests.Lgtm;

/// <summary>The Grafana resource's "Smoke query data sources" command against a fake Grafana on the central http host port.</summary>
public sealed class GrafanaSmokeQueryTests : IAsyncLifetime
{
    private LgtmContractLab _lab = null!;
    private FakeGrafana _grafana = null!;

    public async Task InitializeAsync()
    {
        _lab = LgtmContractLab.Create();
        var port = int.Parse(_lab.Lab.Configuration["Lab:Central:HostPorts:http"]!, CultureInfo.InvariantCulture);
        _grafana = await FakeGrafana.StartAsync(port, "admin", _lab.Password);
    }

    public async Task DisposeAsync()
    {
        await _grafana.DisposeAsync();
        await _lab.DisposeAsync();
    }

    private async Task<(string Result, ListLogger Log)> RunSmokeQueryAsync()
    {
        using var controller = _lab.Controller();
        var grafana = controller.Resources.Single(r => r.Name == "lgtm-central-grafana");
        var action = grafana.Actions.Single(a => a.Name == GrafanaResource.SmokeQueryCommand);
        Assert.Equal("Smoke query data sources", action.DisplayName);
        Assert.False(action.Mutates);
        var log = new ListLogger();
        return (await action.Run(log, CancellationToken.None), log);
    }

    [Fact]
    public async Task Queries_every_data_source_through_grafana_and_logs_one_line_each()
    {
        var (result, log) = await RunSmokeQueryAsync();

        Assert.Equal("All 9 data sources answered", result);
        Assert.Equal(9, log.Lines.Count);
        Assert.Contains("Mimir Local (tenant central): ok, 2 series for up", log.Lines);
        Assert.Contains("Loki Remote (lgtm-remote) (tenant lgtm-remote): ok, 3 label names", log.Lines);
        Assert.Contains("Tempo (all tenants) (tenant central|lgtm-remote): ok, 1 recent traces", log.Lines);
        Assert.Equal(
            ["loki-all loki/api/v1/labels", "loki-local loki/api/v1/labels", "loki-remote-lgtm-remote loki/api/v1/labels",
             "mimir-all api/v1/query?query=up", "mimir-local api/v1/query?query=up", "mimir-remote-lgtm-remote api/v1/query?query=up",
             "tempo-all api/search?limit=20", "tempo-local api/search?limit=20", "tempo-remote-lgtm-remote api/search?limit=20"],
            _grafana.Requests.Order());
        Assert.DoesNotContain(log.Lines, l => l.Contains(_lab.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fails_naming_exactly_the_data_sources_that_failed()
    {
        _grafana.Failures["loki-remote-lgtm-remote"] = (502, "Bad Gateway");
        _grafana.Failures["mimir-all"] = (400, """{"status":"error","errorType":"bad_data","error":"tenant federation is disabled"}""");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(RunSmokeQueryAsync);

        Assert.StartsWith("2 of 9 data sources failed their smoke query: Loki Remote (lgtm-remote), Mimir (all tenants).", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_fails_every_data_source()
    {
        _lab.Password = "not-the-password";

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(RunSmokeQueryAsync);

        Assert.StartsWith("9 of 9 data sources failed", failure.Message, StringComparison.Ordinal);
    }
}
