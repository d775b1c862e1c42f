namespace LgtmLab.TnsSample.Roles.Db;

/// <summary>The in-memory database: links by id and the manual fail flag, behind one lock (TNS's mutex).</summary>
internal sealed class LinkStore
{
    private readonly Dictionary<long, Link> _links = [];

    /// <summary>Held for every operation; async because the fault window sleeps while holding it.</summary>
    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>Set by <c>/fail</c>; read and written under <see cref="Lock"/>.</summary>
    public bool Failing { get; set; }

    /// <summary>Adds a link; false if its id exists. Call under <see cref="Lock"/>.</summary>
    public bool TryAdd(Link link) => _links.TryAdd(link.ID, link);

    /// <summary>The link with this id, or null. Call under <see cref="Lock"/>.</summary>
    public Link? Find(long id) => _links.GetValueOrDefault(id);

    /// <summary>The ten best links: most points first, then highest id. Call under <see cref="Lock"/>.</summary>
    public IReadOnlyList<Link> Top() =>
        _links.Values.OrderByDescending(l => l.Points).ThenByDescending(l => l.ID).Take(10).ToList();
}
