using System.Diagnostics;

namespace LgtmLab.Tests.Tns;

/// <summary>stdout is TNS's logfmt, and W3C trace context connects app and db.</summary>
[Collection(TnsCollection.Name)]
public sealed class LogAndTraceTests(TnsStack stack)
{
    [Fact]
    public async Task An_incoming_traceparent_is_the_traceID_of_app_s_and_db_s_lines()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.App.Url + "/?probe=" + traceId[..8]);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var response = await stack.Http.SendAsync(request);

        response.EnsureSuccessStatusCode();
        await stack.App.WaitForLineAsync(l => l.StartsWith($"level=info msg=\"HTTP client success\" status_code=200 url={stack.Db.Url} duration=", StringComparison.Ordinal)
            && l.EndsWith($" traceID={traceId}", StringComparison.Ordinal));
        await stack.App.WaitForLineAsync(l => LogLines.Matches(l, LogLines.Request("GET", "/?probe=" + traceId[..8], 200)) && l.Contains(traceId, StringComparison.Ordinal));
        await stack.Db.WaitForLineAsync(l => LogLines.Matches(l, LogLines.Request("GET", "/", 200)) && LogLines.TraceIdOf(l) == traceId);
    }

    [Fact]
    public async Task Every_line_is_logfmt_with_the_level_first_and_no_timestamp()
    {
        await stack.Http.GetAsync(stack.App.Url + "/");
        await stack.App.WaitForLineAsync(l => l.Contains("HTTP client success", StringComparison.Ordinal));

        foreach (var line in stack.App.Lines.Concat(stack.Db.Lines))
        {
            Assert.Matches("^level=(debug|info|warn|error) ", line);
            Assert.DoesNotContain("ts=", line);
        }
        Assert.Contains("level=info database(s)=1", stack.App.Lines);
    }

    [Fact]
    public async Task Log_level_info_hides_the_request_lines()
    {
        await using var db = await TnsProcess.StartAsync("db", ["-log.level=info"], TnsStack.NoFaults);

        await stack.Http.GetAsync(db.Url + "/fail");
        await db.WaitForLineAsync(l => l == "level=info msg=\"toggled fail flag\" fail=true");

        Assert.DoesNotContain(db.Lines, l => l.StartsWith("level=debug", StringComparison.Ordinal));
    }
}
