namespace LgtmLab.TnsSample.Roles.Loadgen;

/// <summary>A story loadgen posts.</summary>
#pragma warning disable CA1054, CA1056 // a URL as the form sends it, possibly empty
internal sealed record Story(string Title, string Url)
{
    /// <summary>The line Go's <c>fmt.Println(story)</c> prints for a struct: <c>{title url}</c>.</summary>
    public override string ToString() => "{" + Title + " " + Url + "}";

    /// <summary>Go's <c>url.Values.Encode()</c>: keys sorted, spaces as <c>+</c>.</summary>
    public string FormEncoded() => "title=" + Escape(Title) + "&url=" + Escape(Url);

    private static string Escape(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}
#pragma warning restore CA1054, CA1056
