namespace LgtmLab.Tests.Tns;

[Collection(TnsCollection.Name)]
public sealed class ListenAddressTests
{
    [Fact]
    public async Task Without_the_port_flag_it_listens_where_aspnetcore_urls_says_as_under_aspire()
    {
        var env = new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0", ["Tns__Db__FaultWindow"] = "never" };
        await using var db = await TnsProcess.StartAsync("db", env: env, listenFlags: false);
        using var http = new HttpClient();

        Assert.Equal("http://127.0.0.1", db.BaseUrl.GetLeftPart(UriPartial.Scheme) + db.BaseUrl.Host);
        (await http.GetAsync(db.Url + "/")).EnsureSuccessStatusCode();
        var metrics = await http.GetStringAsync(db.Url + "/metrics");
        // Connections are counted on endpoints from configuration too.
        Assert.Matches(@"(?m)^tns_tcp_connections\{protocol=""http""\} [1-9]", metrics);
        Assert.Contains("tns_request_duration_seconds_count{method=\"GET\",route=\"root\",status_code=\"200\",ws=\"false\"} 1", metrics);
    }
}
