namespace LgtmLab.AppHost.Provisioning;

/// <summary>The warnings one attempt of a step raised; thread-safe, since a step may work on several things at once.</summary>
public sealed class StepWarnings
{
    private readonly Lock _lock = new();
    private readonly List<string> _items = [];

    public void Add(string warning)
    {
        lock (_lock) _items.Add(warning);
    }

    public IReadOnlyList<string> Items
    {
        get
        {
            lock (_lock) return [.. _items];
        }
    }

    /// <summary>All of them in one line; null when there are none.</summary>
    public string? Summary => Items is { Count: > 0 } items ? string.Join("; ", items) : null;
}
