using System.Net;
using System.Text;
using System.Text.Json;

namespace LgtmLab.Tests.Tns;

/// <summary>
/// db's routes as TNS answers them, against the real process. Links these tests add have negative ids (all but
/// one), so they sort below the links app's tests post and do not push those out of the ten db returns.
/// </summary>
[Collection(TnsCollection.Name)]
public sealed class DbRoutesTests(TnsStack stack)
{
    private readonly HttpClient _http = stack.Http;

    private string Db => stack.Db.Url;

    [Fact]
    public async Task Fetch_returns_the_links_as_json_with_go_field_names()
    {
        var id = Random.Shared.Next(9_000_000, 10_000_000); // the highest ids: ranked within the ten shown
        Assert.Equal(HttpStatusCode.NoContent, (await PostJson("/post", $$"""{"ID":{{id}},"URL":"http://a.example/{{id}}","Title":"t {{id}}"}""")).StatusCode);

        var response = await _http.GetAsync(Db + "/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("\n", body);
        using var json = JsonDocument.Parse(body);
        var link = json.RootElement.GetProperty("Links").EnumerateArray().Single(l => l.GetProperty("ID").GetInt64() == id);
        Assert.Equal(0, link.GetProperty("Points").GetInt64());
        Assert.Equal($"http://a.example/{id}", link.GetProperty("URL").GetString());
        Assert.Equal($"t {id}", link.GetProperty("Title").GetString());
    }

    [Fact]
    public async Task Fetch_returns_the_ten_best_links_most_points_first()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => -Random.Shared.Next(3_000_000, 4_000_000)).ToArray();
        foreach (var id in ids)
            await PostJson("/post", $$"""{"id":{{id}},"url":"http://b.example/{{id}}","title":"b"}""");
        // 50 points for the first: it must be ranked first (no other test votes that often).
        for (var i = 0; i < 50; i++)
            Assert.Equal(HttpStatusCode.NoContent, (await PostJson("/vote", $$"""{"ID":{{ids[0]}}}""")).StatusCode);

        using var json = JsonDocument.Parse(await _http.GetStringAsync(Db + "/"));
        var links = json.RootElement.GetProperty("Links").EnumerateArray().ToList();
        Assert.InRange(links.Count, 3, 10);
        Assert.Equal(ids[0], links[0].GetProperty("ID").GetInt64());
        Assert.Equal(50, links[0].GetProperty("Points").GetInt64());
    }

    [Fact]
    public async Task Post_of_an_existing_id_is_208_post_exists()
    {
        var id = -Random.Shared.Next(4_000_000, 5_000_000);
        var link = $$"""{"ID":{{id}},"URL":"http://c.example","Title":"c"}""";

        var first = await PostJson("/post", link);
        var second = await PostJson("/post", link);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.AlreadyReported, second.StatusCode);
        Assert.Equal("post exists\n", await second.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/post", "{not json")]
    [InlineData("/post", """{"ID":"seven"}""")]
    [InlineData("/post", "")]
    [InlineData("/vote", "[1,2]")]
    public async Task Bad_json_is_400_with_the_decoder_error_and_an_error_line(string route, string body)
    {
        var response = await PostJson(route, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadAsStringAsync()).TrimEnd('\n');
        Assert.NotEmpty(error);
        await stack.Db.WaitForLineAsync(l => l.StartsWith("level=error msg=\"error decoding link\" err=", StringComparison.Ordinal)
            && LogLines.Matches(l, $".* traceID={LogLines.TraceId}"));
    }

    [Fact]
    public async Task A_body_over_10_MB_is_400_not_a_crash()
    {
        var (status, body) = await RawHttp.PostAsync(stack.Db.BaseUrl, "/post", "application/json", """{"ID":1,"Title":"x"""u8.ToArray(), 11 << 20);

        Assert.Equal(400, status);
        Assert.Equal("http: request body too large\n", body);
        await stack.Db.WaitForLineAsync(l => l.StartsWith("level=error msg=\"error decoding link\" err=\"http: request body too large\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(Db + "/")).StatusCode);
    }

    [Fact]
    public async Task Vote_adds_a_point_and_an_unknown_id_panics_into_a_500()
    {
        var id = -Random.Shared.Next(5_000_000, 6_000_000);
        await PostJson("/post", $$"""{"ID":{{id}},"URL":"http://d.example","Title":"d"}""");

        Assert.Equal(HttpStatusCode.NoContent, (await PostJson("/vote", $$"""{"ID":{{id}}}""")).StatusCode);
        var unknown = await PostJson("/vote", """{"ID":-42}""");

        Assert.Equal(HttpStatusCode.InternalServerError, unknown.StatusCode);
        Assert.Equal("", await unknown.Content.ReadAsStringAsync());
        // handlePanic's line (no msg, no traceID), then the request log's warn line with the empty response.
        await stack.Db.WaitForLineAsync(l => l == "level=error err=\"runtime error: invalid memory address or nil pointer dereference\"");
        await stack.Db.WaitForLineAsync(l => LogLines.Matches(l,
            $"level=warn traceID={LogLines.TraceId} msg=\"POST /vote \\(500\\) {LogLines.Duration} Response: \\\\\"\\\\\" ws: false; .*\""));
    }

    [Fact]
    public async Task Fail_toggles_and_while_failing_fetch_is_500_with_an_empty_body()
    {
        var on = await _http.GetAsync(Db + "/fail");
        try
        {
            Assert.Equal(HttpStatusCode.OK, on.StatusCode);
            Assert.Equal("failing: true\n", await on.Content.ReadAsStringAsync());
            await stack.Db.WaitForLineAsync(l => l == "level=info msg=\"toggled fail flag\" fail=true");

            var fetch = await _http.GetAsync(Db + "/");
            Assert.Equal(HttpStatusCode.InternalServerError, fetch.StatusCode);
            Assert.Equal("", await fetch.Content.ReadAsStringAsync());
            await stack.Db.WaitForLineAsync(l => LogLines.Matches(l, $"level=error err=\"spline matriculation failed\" traceID={LogLines.TraceId}"));

            // app passes db's failure on as a 500 and logs it (without a trace id, as TNS does here); TNS's
            // client does not retry, so db sees exactly one more failing fetch.
            static int FailedFetches(IReadOnlyList<string> lines) => lines.Count(l => l.Contains("msg=\"GET / (500) ", StringComparison.Ordinal));
            await stack.Db.WaitUntilAsync(lines => FailedFetches(lines) >= 1);
            var before = FailedFetches(stack.Db.Lines);
            var page = await _http.GetAsync(stack.App.Url + "/");
            Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
            Assert.Equal("\n", await page.Content.ReadAsStringAsync());
            await stack.App.WaitForLineAsync(l => l == "level=error msg=\"HTTP request failed\" status=500 body=");
            await stack.Db.WaitUntilAsync(lines => FailedFetches(lines) == before + 1);
            await Task.Delay(500);
            Assert.Equal(before + 1, FailedFetches(stack.Db.Lines));
        }
        finally
        {
            var off = await _http.GetAsync(Db + "/fail");
            Assert.Equal("failing: false\n", await off.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(Db + "/")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_path_is_gos_404()
    {
        var response = await _http.GetAsync(Db + "/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("404 page not found\n", await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> PostJson(string route, string json) =>
        _http.PostAsync(Db + route, new StringContent(json, Encoding.UTF8, "application/json"));
}
