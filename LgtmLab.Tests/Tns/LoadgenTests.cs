using System.Net;
using System.Text.RegularExpressions;

namespace LgtmLab.Tests.Tns;

/// <summary>loadgen against real app and db processes: TNS's traffic pattern, no routes of its own.</summary>
[Collection(TnsCollection.Name)]
public sealed class LoadgenTests
{
    [Fact]
    public async Task Loadgen_browses_and_posts_and_app_s_counters_grow()
    {
        await using var db = await TnsProcess.StartAsync("db", env: TnsStack.NoFaults);
        await using var app = await TnsProcess.StartAsync("app", [db.Url]);
        await using var loadgen = await TnsProcess.StartAsync("loadgen", [app.Url]);
        using var http = new HttpClient();

        await Task.Delay(TimeSpan.FromSeconds(6));
        var metrics = await http.GetStringAsync(app.Url + "/metrics");

        // Ten workers with 0-2 s pauses: about ten GETs a second, plus the GET after each post's redirect (~60 in
        // 6 s); the lower bound leaves room for a machine busy with other tests.
        Assert.InRange(Count(metrics, """method="GET",route="root",status_code="200","""), 5, 200);
        // One post a second: a 302 (or a 400 for the story without a URL).
        var posts = Count(metrics, """method="POST",route="post",status_code="302",""") + Count(metrics, """method="POST",route="post",status_code="400",""");
        Assert.InRange(posts, 1, 8);

        var lines = loadgen.Lines;
        Assert.Contains("level=info msg=peer(s) num=1", lines); // logfmt quotes only spaces, = and "
        Assert.Contains(lines, l => Regex.IsMatch(l, "^title=[^&]*&url=[^&]*$"));
        Assert.Contains(lines, l => l.StartsWith('{') && l.EndsWith('}'));
        // loadgen has no span of its own around the call, so TNS's client logs an empty trace id.
        Assert.Contains(lines, l => LogLines.Matches(l, $"level=info msg=\"HTTP client success\" status_code=200 url={Regex.Escape(app.Url)} duration={LogLines.Duration} traceID="));
        if (lines.Any(l => l.EndsWith("&url=", StringComparison.Ordinal)))
            await app.WaitForLineAsync(l => l == "level=error msg=\"empty url\"");

        var loadgenMetrics = await http.GetStringAsync(loadgen.Url + "/metrics");
        Assert.Contains("tns_client_request_duration_seconds_count{method=\"GET\",status_code=\"200\"}", loadgenMetrics);
        Assert.Contains("tns_client_request_duration_seconds_count{method=\"POST\",status_code=", loadgenMetrics);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(loadgen.Url + "/")).StatusCode);
    }

    private static int Count(string metrics, string labels)
    {
        var m = Regex.Match(metrics, $"^tns_request_duration_seconds_count\\{{{Regex.Escape(labels)}ws=\"false\"\\}} (\\d+)$", RegexOptions.Multiline);
        return m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
