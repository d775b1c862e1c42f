using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace LgtmLab.Tests.E2E;

/// <summary>Grafana's HTTP API as the admin: queries go through a data source's proxy, so they use its tenant.</summary>
internal sealed class GrafanaApi : IDisposable
{
    private readonly HttpClient _http;

    public GrafanaApi(string baseUrl, string user, string password)
    {
        _http = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    /// <summary>GET a path of the data source's backend (e.g. <c>api/v1/query?query=up</c> on Mimir); null on a non-2xx answer.</summary>
    public async Task<JsonNode?> ProxyAsync(string datasourceUid, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/datasources/proxy/uid/{datasourceUid}/{pathAndQuery.TrimStart('/')}", cancellationToken);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) : null;
    }

    /// <summary>GET a Grafana API path (e.g. <c>api/health</c>).</summary>
    public async Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path.TrimStart('/'), cancellationToken);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) : null;
    }

    public void Dispose() => _http.Dispose();
}
