using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>Identity of a stored object; Namespace is "" for cluster-scoped kinds.</summary>
internal sealed record ObjectKey(string Group, string Plural, string Namespace, string Name);

/// <summary>A change, as a watch delivers it.</summary>
internal sealed record WatchEvent(long ResourceVersion, string Type, ObjectKey Key, JsonObject Object);

/// <summary>
/// The objects of one fake cluster with a global resourceVersion, the change history and live watchers.
/// Not thread-safe by itself: <see cref="FakeKubernetesApi"/> calls it under one lock.
/// </summary>
internal sealed class FakeObjectStore
{
    private readonly Dictionary<ObjectKey, JsonObject> _objects = [];
    private readonly Dictionary<(ObjectKey, string), JsonObject> _appliedByManager = [];
    private readonly List<WatchEvent> _history = [];
    private readonly List<Watcher> _watchers = [];

    public long ResourceVersion { get; private set; } = 1000;

    public JsonObject? Get(ObjectKey key) => _objects.GetValueOrDefault(key);

    public IEnumerable<KeyValuePair<ObjectKey, JsonObject>> All => _objects;

    public List<JsonObject> List(string group, string plural, string? ns) =>
    [
        .. _objects.Where(kv => kv.Key.Group == group && kv.Key.Plural == plural && (ns is null || kv.Key.Namespace == ns))
            .OrderBy(kv => kv.Key.Namespace, StringComparer.Ordinal).ThenBy(kv => kv.Key.Name, StringComparer.Ordinal)
            .Select(kv => kv.Value),
    ];

    /// <summary>Stores <paramref name="obj"/> under a new resourceVersion and notifies watchers.</summary>
    public JsonObject Put(ObjectKey key, JsonObject obj)
    {
        var type = _objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
        ResourceVersion++;
        obj["metadata"]!["resourceVersion"] = ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _objects[key] = obj;
        Publish(new WatchEvent(ResourceVersion, type, key, (JsonObject)obj.DeepClone()));
        return obj;
    }

    public JsonObject? Delete(ObjectKey key)
    {
        if (!_objects.Remove(key, out var obj)) return null;
        foreach (var managed in _appliedByManager.Keys.Where(k => k.Item1 == key).ToList()) _appliedByManager.Remove(managed);
        ResourceVersion++;
        var gone = (JsonObject)obj.DeepClone();
        gone["metadata"]!["resourceVersion"] = ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Publish(new WatchEvent(ResourceVersion, "DELETED", key, gone));
        return obj;
    }

    public JsonObject? LastApplied(ObjectKey key, string manager) => _appliedByManager.GetValueOrDefault((key, manager));

    public void RecordApplied(ObjectKey key, string manager, JsonObject applied) => _appliedByManager[(key, manager)] = applied;

    /// <summary>
    /// Starts a watch. Without a resourceVersion (or "0") it begins with ADDED for every matching object;
    /// with one it replays the changes after it, then follows live changes.
    /// </summary>
    public Watcher Watch(Func<WatchEvent, bool> filter, string? fromVersion, Func<ObjectKey, JsonObject, bool> initialFilter)
    {
        var watcher = new Watcher(filter);
        if (string.IsNullOrEmpty(fromVersion) || fromVersion == "0")
        {
            foreach (var (key, obj) in _objects.Where(kv => initialFilter(kv.Key, kv.Value)).OrderBy(kv => kv.Key.Name, StringComparer.Ordinal))
                watcher.Offer(new WatchEvent(ResourceVersion, "ADDED", key, (JsonObject)obj.DeepClone()));
        }
        else if (long.TryParse(fromVersion, out var since))
        {
            foreach (var e in _history.Where(e => e.ResourceVersion > since)) watcher.Offer(e);
        }
        _watchers.Add(watcher);
        return watcher;
    }

    public void StopWatching(Watcher watcher)
    {
        _watchers.Remove(watcher);
        watcher.Complete();
    }

    public void StopAll()
    {
        foreach (var w in _watchers) w.Complete();
        _watchers.Clear();
    }

    private void Publish(WatchEvent e)
    {
        _history.Add(e);
        foreach (var w in _watchers) w.Offer(e);
    }

    internal sealed class Watcher(Func<WatchEvent, bool> filter)
    {
        private readonly Channel<WatchEvent> _channel = Channel.CreateUnbounded<WatchEvent>();

        public ChannelReader<WatchEvent> Events => _channel.Reader;

        public void Offer(WatchEvent e)
        {
            if (filter(e)) _channel.Writer.TryWrite(e);
        }

        public void Complete() => _channel.Writer.TryComplete();
    }
}
