namespace LgtmLab.TnsSample.Roles.Db;

/// <summary>A stored link; JSON field names are Go's (<c>ID</c>, <c>Points</c>, <c>URL</c>, <c>Title</c>).</summary>
internal sealed class Link
{
#pragma warning disable CA1056 // the wire name is TNS's "URL", a string
    public long ID { get; set; }

    public long Points { get; set; }

    public string URL { get; set; } = "";

    public string Title { get; set; } = "";
#pragma warning restore CA1056
}
