using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Tns;

/// <summary>app's routes as TNS answers them, against real app and db processes.</summary>
[Collection(TnsCollection.Name)]
public sealed class AppRoutesTests(TnsStack stack)
{
    private readonly HttpClient _http = stack.Http;

    private string App => stack.App.Url;

    [Fact]
    public async Task Index_is_the_grafana_news_page_with_a_post_form()
    {
        var response = await _http.GetAsync(App + "/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Grafana News</title>", html);
        Assert.Contains("<form action=\"/post\" method=\"post\">", html);
        Assert.Contains("name=\"title\"", html);
        Assert.Contains("name=\"url\"", html);
        await stack.App.WaitForLineAsync(l => LogLines.Matches(l, LogLines.Request("GET", "/", 200)));
    }

    [Fact]
    public async Task Post_stores_the_link_and_redirects_to_the_index_escaping_what_users_posted()
    {
        var marker = Guid.NewGuid().ToString("N");
        var title = $"<script>alert('{marker}')</script> & more";

        var response = await PostForm($"title={Uri.EscapeDataString(title)}&url=example.org/{marker}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Equal("", await response.Content.ReadAsStringAsync());

        // The URL got the http scheme, and its id is the first two bytes of its SHA-1, big-endian.
        var url = $"http://example.org/{marker}";
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(url));
        var id = (hash[0] << 8) | hash[1];
        using var links = JsonDocument.Parse(await _http.GetStringAsync(stack.Db.Url + "/"));
        Assert.Contains(links.RootElement.GetProperty("Links").EnumerateArray(),
            l => l.GetProperty("ID").GetInt64() == id && l.GetProperty("URL").GetString() == url && l.GetProperty("Title").GetString() == title);

        var html = await _http.GetStringAsync(App + "/");
        Assert.Contains($"&lt;script&gt;alert(&#x27;{marker}&#x27;)&lt;/script&gt; &amp; more", html);
        Assert.DoesNotContain($"<script>alert('{marker}')", html);
        Assert.Contains($"href=\"vote?id={id}&amp;how=up\"", html);
    }

    [Theory]
    [InlineData("title=t&url=", "empty url")]
    [InlineData("title=t&url=+++", "empty url")]
    [InlineData("title=&url=example.com", "empty title")]
    public async Task Post_without_url_or_title_is_400(string form, string error)
    {
        var response = await PostForm(form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error + "\n", await response.Content.ReadAsStringAsync());
        // TNS logs "empty url" for both (its copy-paste slip).
        await stack.App.WaitForLineAsync(l => l == "level=error msg=\"empty url\"");
    }

    [Theory]
    [InlineData("title=t&url=%zz", "invalid URL escape \"%zz\"")]
    [InlineData("title=t;x&url=a", "invalid semicolon separator in query")]
    public async Task A_malformed_form_is_400_with_an_error_line(string form, string error)
    {
        var response = await PostForm(form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error + "\n", await response.Content.ReadAsStringAsync());
        await stack.App.WaitForLineAsync(l => l.StartsWith("level=error msg=\"error parsing form\" err=", StringComparison.Ordinal)
            && l.Contains("traceID=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_form_over_10_MB_is_400_post_too_large()
    {
        var (status, body) = await RawHttp.PostAsync(stack.App.BaseUrl, "/post", "application/x-www-form-urlencoded", "title=t&url="u8.ToArray(), 11 << 20);

        Assert.Equal(400, status);
        Assert.Equal("http: POST too large\n", body);
        await stack.App.WaitForLineAsync(l => l.StartsWith("level=error msg=\"error parsing form\" err=\"http: POST too large\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_url_is_400()
    {
        var response = await PostForm("title=t&url=" + Uri.EscapeDataString("http://x/a%zzb"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await stack.App.WaitForLineAsync(l => l.StartsWith("level=error msg=\"invalid url\" url=http://x/a%zzb err=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/vote?id=abc", "strconv.Atoi: parsing \\\"abc\\\": invalid syntax")]
    [InlineData("/vote", "strconv.Atoi: parsing \\\"\\\": invalid syntax")]
    [InlineData("/vote?id=99999999999999999999", "strconv.Atoi: parsing \\\"99999999999999999999\\\": value out of range")]
    public async Task Vote_with_an_invalid_id_is_400(string path, string error)
    {
        var response = await _http.GetAsync(App + path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid id\n", await response.Content.ReadAsStringAsync());
        await stack.App.WaitForLineAsync(l => l.StartsWith($"level=error msg=\"invalid id\" err=\"{error}\" traceID=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Vote_redirects_and_counts_and_an_unknown_id_is_db_s_500()
    {
        var marker = Guid.NewGuid().ToString("N");
        await PostForm($"title=vote+me&url=http://vote.example/{marker}");
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes($"http://vote.example/{marker}"));
        var id = (hash[0] << 8) | hash[1];

        var vote = await _http.GetAsync($"{App}/vote?id={id}&how=up");
        Assert.Equal(HttpStatusCode.Found, vote.StatusCode);
        Assert.Equal("/", vote.Headers.Location?.OriginalString);
        using (var links = JsonDocument.Parse(await _http.GetStringAsync(stack.Db.Url + "/")))
            Assert.Contains(links.RootElement.GetProperty("Links").EnumerateArray(), l => l.GetProperty("ID").GetInt64() == id && l.GetProperty("Points").GetInt64() >= 1);

        var unknown = await _http.PostAsync(App + "/vote", new FormUrlEncodedContent([new("id", "-7")]));
        Assert.Equal(HttpStatusCode.InternalServerError, unknown.StatusCode);
        await stack.App.WaitForLineAsync(l => LogLines.Matches(l, $"level=error msg=\"HTTP request failed\" status=500 body= traceID={LogLines.TraceId}"));
    }

    [Fact]
    public async Task With_db_down_the_page_post_and_vote_are_503_naming_the_request()
    {
        var closedPort = FreePort.Next();
        await using var app = await TnsProcess.StartAsync("app", [$"http://127.0.0.1:{closedPort}"]);

        var page = await _http.GetAsync(app.Url + "/");
        var post = await _http.PostAsync(app.Url + "/post", new FormUrlEncodedContent([new("title", "t"), new("url", "http://x")]));
        var vote = await _http.GetAsync(app.Url + "/vote?id=1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.StartsWith($"Get \"http://127.0.0.1:{closedPort}\": ", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.StartsWith($"Post \"http://127.0.0.1:{closedPort}/post\": ", await post.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, vote.StatusCode);
        await app.WaitForLineAsync(l => LogLines.Matches(l,
            $"level=error msg=\"HTTP client error\" error=\"Get \\\\\"http://127\\.0\\.0\\.1:{closedPort}\\\\\": .*\" url=http://127\\.0\\.0\\.1:{closedPort} duration={LogLines.Duration} traceID={LogLines.TraceId}"));
        // 503 is logged at debug, as weaveworks does for 502/503.
        await app.WaitForLineAsync(l => LogLines.Matches(l, LogLines.Request("GET", "/", 503)));
    }

    [Fact]
    public async Task App_is_ready_only_while_a_db_answers_and_stays_alive_without_one()
    {
        var closedPort = FreePort.Next();
        await using var lonely = await TnsProcess.StartAsync("app", [$"http://127.0.0.1:{closedPort}"]);

        var notReady = await _http.GetAsync(lonely.Url + "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(lonely.Url + "/alive")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(App + "/health")).StatusCode);
    }

    [Fact]
    public async Task A_db_named_by_aspire_service_discovery_is_resolved()
    {
        var env = new Dictionary<string, string> { ["services__tns-db__http__0"] = stack.Db.Url };
        await using var app = await TnsProcess.StartAsync("app", ["http://tns-db"], env);

        var page = await _http.GetAsync(app.Url + "/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await app.WaitForLineAsync(l => l.StartsWith("level=info msg=\"HTTP client success\" status_code=200 url=http://tns-db ", StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> PostForm(string form) =>
        _http.PostAsync(App + "/post", new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));
}
