using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace LgtmLab.TnsSample.Roles.App;

/// <summary>
/// The "Grafana News" page: a Hacker-News-like ranked list with up-vote links (<c>vote?id=N&amp;how=up</c>) and a
/// form posting <c>title</c> and <c>url</c> to <c>/post</c>. Everything users posted is HTML-encoded, and only
/// http(s) URLs become links (TNS's text/template escaped nothing).
/// </summary>
internal static class IndexPage
{
    public sealed record Entry(long ID, int Rank, long Points, string URL, string Title);

    public static string Render(IReadOnlyList<Entry> entries)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1.0">
            <title>Grafana News</title>
            <style>
            body { font-family: Verdana, Geneva, sans-serif; font-size: 10pt; margin: 0; background: #fff; }
            main { width: 85%; margin: 8px auto; background: #f6f6ef; }
            header { background: #f46800; padding: 4px 6px; }
            header a { color: #000; font-weight: bold; text-decoration: none; }
            ol { margin: 0; padding: 10px 10px 10px 40px; }
            li { margin-bottom: 6px; color: #828282; }
            li a.story { color: #000; text-decoration: none; }
            .vote { color: #828282; text-decoration: none; margin-right: 4px; }
            .score { font-size: 7pt; display: block; }
            form { padding: 10px; border-top: 2px solid #f46800; }
            </style>
            </head>
            <body>
            <main>
            <header><a href="/">Grafana News</a></header>
            <ol class="links">

            """);
        foreach (var e in entries)
        {
            var id = e.ID.ToString(CultureInfo.InvariantCulture);
            page.Append("<li value=\"").Append(e.Rank.ToString(CultureInfo.InvariantCulture)).Append("\" id=\"").Append(id).Append("\">")
                .Append("<a class=\"vote\" id=\"up_").Append(id).Append("\" href=\"vote?id=").Append(id).Append("&amp;how=up\" title=\"upvote\">&#9650;</a>")
                .Append("<a class=\"story\" href=\"").Append(html.Encode(SafeHref(e.URL))).Append("\">").Append(html.Encode(e.Title)).Append("</a>")
                .Append("<span class=\"score\" id=\"score_").Append(id).Append("\">").Append(e.Points.ToString(CultureInfo.InvariantCulture)).Append(" points</span>")
                .Append("</li>\n");
        }
        page.Append("""
            </ol>
            <form action="/post" method="post">
            Title: <input name="title"><br>
            URL: <input name="url"><br>
            <button name="submit" value="" type="submit">Submit</button>
            </form>
            </main>
            </body>
            </html>

            """);
        return page.ToString();
    }

    // db accepts any URL from its own /post; a javascript: link must not become clickable.
    private static string SafeHref(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? url : "#";
}
