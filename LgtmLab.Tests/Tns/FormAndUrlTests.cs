using LgtmLab.TnsSample.Http;
using LgtmLab.TnsSample.Roles.App;
using LgtmLab.TnsSample.Roles.Loadgen;

namespace LgtmLab.Tests.Tns;

public sealed class FormAndUrlTests
{
    [Fact]
    public void Form_parsing_is_go_s_parse_query()
    {
        var values = new Dictionary<string, List<string>>();

        Assert.Null(GoForm.Parse("a=1&b=x+y%21&a=2&&c", values));
        Assert.Equal(["1", "2"], values["a"]);
        Assert.Equal(["x y!"], values["b"]);
        Assert.Equal([""], values["c"]);
        Assert.Equal("invalid URL escape \"%zz\"", GoForm.Parse("a=%zz&d=4", values));
        Assert.Equal(["4"], values["d"]);
        Assert.Equal("invalid semicolon separator in query", GoForm.Parse("a=1;b=2", []));
    }

    [Theory]
    [InlineData("https://grafana.com/x?y=%zz", "https://grafana.com/x?y=%zz")]
    [InlineData("HTTP://grafana.com", "http://grafana.com")]
    [InlineData("ftp://files.example/a", "http://files.example/a")]
    [InlineData("example.com/a", "http://example.com/a")]
    [InlineData("//example.com", "http://example.com")]
    [InlineData("mailto:me@example.com", "http:me@example.com")]
    public void Submitted_urls_get_the_http_scheme_as_tns_sets_it(string submitted, string stored) =>
        Assert.Equal((stored, null), StoryUrl.Normalize(submitted));

    [Theory]
    [InlineData("http://x/%zz")]
    [InlineData("http://x/\u0001")]
    [InlineData(":nothing")]
    public void Unparseable_urls_are_errors(string submitted) => Assert.NotNull(StoryUrl.Normalize(submitted).Error);

    [Fact]
    public void Loadgen_posts_eleven_stories_one_without_a_url_as_tns()
    {
        Assert.Equal(11, Stories.All.Count);
        Assert.Single(Stories.All, s => s.Url.Length == 0);
        Assert.Equal("title=a+b%26c&url=https%3A%2F%2Fx.example%2F%3Fq%3D1", new Story("a b&c", "https://x.example/?q=1").FormEncoded());
        Assert.Equal("{a b https://x}", new Story("a b", "https://x").ToString());
    }
}
