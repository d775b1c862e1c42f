namespace LgtmLab.AppHost.Provisioning;

/// <summary>The warnings one attempt of a step raised; thread-safe, since a step may work on several things at once.</summary>
internal sealed class StepWarnings
{
    private readonly Lock _lock = new();
    private readonly List<string> _items = [];

    /// <summary>Adds <paramref name="warning"/> unless this attempt raised it already (Check and Apply may both
    /// find the same problem); false when it was there.</summary>
    public bool Add(string warning)
    {
        lock (_lock)
        {
            if (_items.Contains(warning)) return false;
            _items.Add(warning);
            return true;
        }
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
