using LgtmLab.TnsSample.Http;
using LgtmLab.TnsSample.Logging;

namespace LgtmLab.Tests.Tns;

public sealed class LogfmtTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(999L, "999ns")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(1_234_500L, "1.2345ms")]
    [InlineData(50_000_000L, "50ms")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    public void Durations_print_as_go_does(long nanoseconds, string expected) =>
        Assert.Equal(expected, new GoDuration(nanoseconds).ToString());

    [Fact]
    public void Values_are_quoted_only_when_they_must_be()
    {
        var record = new LogfmtRecord([("msg", "HTTP client success"), ("status_code", 200), ("url", new Uri("http://db")),
            ("empty", ""), ("nil", null), ("null", "null"), ("quote", "say \"hi\"\n"), ("eq", "a=b"), ("ok", true)]);

        Assert.Equal("msg=\"HTTP client success\" status_code=200 url=http://db empty= nil=null null=\"null\" quote=\"say \\\"hi\\\"\\n\" eq=\"a=b\" ok=true",
            record.ToString());
    }

    [Fact]
    public void Otel_sees_fields_as_attributes_and_msg_as_the_body()
    {
        var record = new LogfmtRecord([("msg", "toggled fail flag"), ("fail", true)]);

        Assert.Equal("toggled fail flag", record.Message);
        Assert.Contains(record, kv => kv.Key == "fail" && kv.Value is true);
        Assert.Contains(record, kv => kv.Key == "{OriginalFormat}" && (string?)kv.Value == "toggled fail flag");
        Assert.DoesNotContain(record, kv => kv.Key == "msg");
    }

    [Fact]
    public void Response_bodies_are_quoted_as_go_s_percent_q()
    {
        Assert.Equal("\"\"", GoQuote.Bytes([]));
        Assert.Equal("\"a\\n\\\"b\\\"\\x00é\\xff\"", GoQuote.Bytes([(byte)'a', (byte)'\n', (byte)'"', (byte)'b', (byte)'"', 0, 0xC3, 0xA9, 0xFF]));
    }

    [Fact]
    public void Headers_dump_as_weaveworks_logs_them_without_secrets()
    {
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["user-agent"] = "curl/8", ["Accept"] = "*/*", ["Host"] = "x", ["Cookie"] = "s=1", ["authorization"] = "Bearer t",
        };

        Assert.Equal("Accept: */*; User-Agent: curl/8; ", HeaderDump.Of(headers));
    }
}
