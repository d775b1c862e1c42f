namespace LgtmLab.TnsSample.Roles.App;

/// <summary>The db URLs from the command line; each request picks one at random, as TNS does.</summary>
internal sealed class DbPeers(IReadOnlyList<Uri> urls)
{
    public string Pick() => urls[Random.Shared.Next(urls.Count)].OriginalString.TrimEnd('/');

    public int Count => urls.Count;

    public IEnumerable<string> All => urls.Select(u => u.OriginalString.TrimEnd('/'));
}
