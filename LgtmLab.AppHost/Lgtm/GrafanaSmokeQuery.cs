using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LgtmLab.AppHost.Observability;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Lgtm;

/// <summary>
/// One small query per provisioned data source through Grafana's data source proxy
/// (<c>/api/datasources/proxy/uid/&lt;uid&gt;/...</c>), so it goes the way a dashboard's queries go: Grafana, its
/// tenant header, the backend. Logs one line per data source; fails naming every data source that failed.
/// </summary>
internal sealed class GrafanaSmokeQuery(Uri grafana, string user, Func<CancellationToken, ValueTask<string?>> password, IReadOnlyList<GrafanaDatasource> datasources)
{
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The query each kind of data source answers: PromQL <c>up</c>, Loki's label names, a Tempo search.</summary>
    public static string QueryPath(GrafanaDatasource source) => source.Type switch
    {
        GrafanaDatasources.MimirType => "api/v1/query?query=up",
        GrafanaDatasources.LokiType => "loki/api/v1/labels",
        GrafanaDatasources.TempoType => "api/search?limit=20",
        _ => throw new ArgumentException($"no smoke query for data source type '{source.Type}'", nameof(source)),
    };

    public async Task<string> RunAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var secret = await password(cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = grafana, Timeout = QueryTimeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));

        var failed = new List<string>();
        foreach (var source in datasources)
        {
            var path = $"api/datasources/proxy/uid/{source.Uid}/{QueryPath(source)}";
            string result;
            try
            {
                using var response = await http.GetAsync(path, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                result = response.IsSuccessStatusCode
                    ? Summarize(source, body)
                    : $"FAILED: HTTP {(int)response.StatusCode} {Shorten(body)}";
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                result = $"FAILED: {e.Message}";
            }
            if (result.StartsWith("FAILED", StringComparison.Ordinal))
            {
                failed.Add(source.Name);
                logger.LogError("{Datasource} (tenant {Tenant}): {Result}", source.Name, source.Tenant, result);
            }
            else
            {
                logger.LogInformation("{Datasource} (tenant {Tenant}): {Result}", source.Name, source.Tenant, result);
            }
        }

        if (failed.Count > 0)
            throw new InvalidOperationException(
                $"{failed.Count} of {datasources.Count} data sources failed their smoke query: {string.Join(", ", failed)}. " +
                $"See this resource's log for each answer; check the backends' resources (mimir, loki, tempo) and Grafana at {grafana}.");
        return $"All {datasources.Count} data sources answered";
    }

    private static string Summarize(GrafanaDatasource source, string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return source.Type switch
        {
            GrafanaDatasources.MimirType => Status(root) ?? $"ok, {root.GetProperty("data").GetProperty("result").GetArrayLength()} series for up",
            GrafanaDatasources.LokiType => Status(root) ?? $"ok, {(root.TryGetProperty("data", out var labels) && labels.ValueKind == JsonValueKind.Array ? labels.GetArrayLength() : 0)} label names",
            _ => $"ok, {(root.TryGetProperty("traces", out var traces) && traces.ValueKind == JsonValueKind.Array ? traces.GetArrayLength() : 0)} recent traces",
        };
    }

    /// <summary>Prometheus-style APIs answer 200 with <c>"status": "error"</c> for some failures.</summary>
    private static string? Status(JsonElement root) =>
        root.TryGetProperty("status", out var status) && status.GetString() != "success"
            ? $"FAILED: status {status.GetString()}: {(root.TryGetProperty("error", out var error) ? error.GetString() : "no error message")}"
            : null;

    private static string Shorten(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "...";
}
