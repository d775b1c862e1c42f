using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace LgtmLab.Tests.Tns;

/// <summary>The /metrics text of the real processes: TNS's metric names, types, labels and buckets.</summary>
[Collection(TnsCollection.Name)]
public sealed class MetricsExpositionTests(TnsStack stack)
{
    private const string OpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static readonly string[] RequestBuckets = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "25.0", "50.0", "100.0", "+Inf"];
    private static readonly string[] DefaultBuckets = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf"];
    // Written as Go's client writes them ('g' format): 1 MiB is 1.048576e+06.
    private static readonly string[] BodyBuckets = ["1.048576e+06", "2.62144e+06", "5.24288e+06", "1.048576e+07", "2.62144e+07", "5.24288e+07", "1.048576e+08", "2.62144e+08", "+Inf"];

    [Fact]
    public async Task App_keeps_request_durations_and_drops_the_per_connection_streams_no_dashboard_reads()
    {
        await stack.Http.GetAsync(stack.App.Url + "/");
        await Scrape(stack.App.Url, OpenMetrics);

        var text = await Scrape(stack.App.Url, OpenMetrics);

        Assert.Contains("http_server_request_duration_seconds_count{", text);
        Assert.Contains("http_client_request_duration_seconds_count{", text);
        Assert.Contains("tns_client_request_duration_seconds_count{", text);
        foreach (var dropped in new[] { "kestrel_", "http_client_open_connections", "http_client_connection_duration", "http_client_request_time_in_queue", "dns_lookup_duration", "aspnetcore_routing_match_attempts", "aspnetcore_memory_pool_" })
            Assert.DoesNotContain(dropped, text);
    }

    [Fact]
    public async Task Db_exposes_tns_s_server_and_db_metrics_with_exemplars_over_openmetrics()
    {
        var http = stack.Http;
        await http.GetAsync(stack.Db.Url + "/");
        await http.GetAsync(stack.Db.Url + "/fail");
        await http.GetAsync(stack.Db.Url + "/fail");
        await http.GetAsync(stack.Db.Url + "/nowhere");
        await http.PostAsync(stack.Db.Url + "/post", new StringContent("""{"ID":-1000001,"URL":"http://m.example","Title":"m"}"""));
        await http.PostAsync(stack.Db.Url + "/vote", new StringContent("""{"ID":-1000001}"""));
        await Scrape(stack.Db.Url, OpenMetrics);

        var text = await Scrape(stack.Db.Url, OpenMetrics);

        Assert.Contains("# TYPE tns_request_duration_seconds histogram", text);
        Assert.Contains("# HELP tns_request_duration_seconds Time (in seconds) spent serving HTTP requests.", text);
        Assert.Equal(RequestBuckets, Buckets(text, "tns_request_duration_seconds", """method="GET",route="root",status_code="200",ws="false","""));
        foreach (var (method, route, status) in new[] { ("GET", "fail", "200"), ("GET", "other", "404"), ("POST", "post", "204"), ("POST", "vote", "204"), ("GET", "metrics", "200") })
            Assert.Contains($"tns_request_duration_seconds_count{{method=\"{method}\",route=\"{route}\",status_code=\"{status}\",ws=\"false\"}}", text);
        Assert.Matches(new Regex("""^tns_request_duration_seconds_bucket\{method="GET",route="root",status_code="200",ws="false",le="[^"]+"\} \d+ # \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}"\} [0-9.e-]+ [0-9.]+$""", RegexOptions.Multiline), text);

        Assert.Equal(BodyBuckets, Buckets(text, "tns_request_message_bytes", """method="POST",route="post","""));
        Assert.Equal(BodyBuckets, Buckets(text, "tns_response_message_bytes", """method="GET",route="root","""));
        Assert.Contains("# TYPE tns_inflight_requests gauge", text);
        Assert.Contains("tns_inflight_requests{method=\"GET\",route=\"metrics\"} 1", text);
        Assert.Contains("# TYPE tns_tcp_connections gauge", text);
        Assert.Matches(new Regex("""^tns_tcp_connections\{protocol="http"\} [1-9]\d*$""", RegexOptions.Multiline), text);
        Assert.Contains("tns_tcp_connections_limit{protocol=\"http\"} 0", text);

        Assert.Contains("# TYPE tns_db_fetches counter", text);
        Assert.Contains("# HELP tns_db_fetches Number of fetch requests handled by the database", text);
        // The exporter writes an empty label set as {} when a metric has no labels.
        Assert.Matches(new Regex("""^tns_db_fetches_total(\{\})? \d+ # \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}"\} 1 [0-9.]+$""", RegexOptions.Multiline), text);
        Assert.Equal(DefaultBuckets, Buckets(text, "tns_db_post_time_seconds", ""));
        Assert.Equal(DefaultBuckets, Buckets(text, "tns_db_vote_time_seconds", ""));
        Assert.Contains("# HELP tns_db_vote_time_seconds Time taken to vote on links in the database", text);
    }

    [Fact]
    public async Task App_exposes_the_client_histogram_and_plain_text_has_no_exemplars()
    {
        await stack.Http.GetAsync(stack.App.Url + "/");

        var text = await Scrape(stack.App.Url, accept: null);

        Assert.Contains("# TYPE tns_client_request_duration_seconds histogram", text);
        Assert.Contains("# HELP tns_client_request_duration_seconds Time (in seconds) spent doing client HTTP requests", text);
        Assert.Equal(["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"],
            Buckets(text, "tns_client_request_duration_seconds", """method="GET",status_code="200","""));
        Assert.Contains("tns_request_duration_seconds_count{method=\"GET\",route=\"root\",status_code=\"200\",ws=\"false\"}", text);
        Assert.DoesNotContain("trace_id=", text);
        Assert.DoesNotContain("tns_db_", text);
    }

    [Fact]
    public async Task Health_probes_are_not_counted_as_tns_routes()
    {
        var health = await stack.Http.GetAsync(stack.App.Url + "/health");
        var alive = await stack.Http.GetAsync(stack.App.Url + "/alive");

        Assert.True(health.IsSuccessStatusCode && alive.IsSuccessStatusCode);
        var text = await Scrape(stack.App.Url, accept: null);
        Assert.DoesNotContain("route=\"health\"", text);
        Assert.DoesNotContain("route=\"alive\"", text);
    }

    private async Task<string> Scrape(string baseUrl, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/metrics");
        if (accept is not null)
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        using var response = await stack.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The <c>le</c> values of one series' buckets, in order.</summary>
    private static string[] Buckets(string text, string metric, string labelsBeforeLe) =>
        Regex.Matches(text, $"^{Regex.Escape(metric)}_bucket\\{{{Regex.Escape(labelsBeforeLe)}le=\"([^\"]+)\"\\}}", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToArray();
}
