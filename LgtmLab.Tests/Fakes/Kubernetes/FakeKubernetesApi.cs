using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>
/// An in-process Kubernetes API server on 127.0.0.1 (plain HTTP) for one fake cluster: enough of the REST API
/// for KubernetesClient to get, list, watch, create, replace, patch (server-side apply, merge, JSON patch) and
/// delete built-in and custom objects, with real status codes and Status bodies. Custom kinds are served once
/// their CustomResourceDefinition is stored, as on a real cluster. Every request is recorded.
/// </summary>
internal sealed partial class FakeKubernetesApi : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly FakeObjectStore _store = new();
    private readonly ObjectLifecycle _lifecycle;
    private readonly LoadBalancers _loadBalancers;
    private readonly List<FakeApiRequest> _requests = [];
    private readonly List<FailureRule> _failures = [];
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private FakeKubernetesApi(FakeKubernetesApiOptions options)
    {
        Options = options;
        _lifecycle = new ObjectLifecycle(options);
        _loadBalancers = new LoadBalancers(this);
    }

    public FakeKubernetesApiOptions Options { get; }

    /// <summary>http://127.0.0.1:port, the server a kubeconfig points at.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Answering: started, not disposed, and its control-plane container not stopped (see StopServingAsync).</summary>
    public bool IsRunning => _app is not null && !_down && !_stopping.IsCancellationRequested;

    /// <summary>Every request answered so far, oldest first.</summary>
    public IReadOnlyList<FakeApiRequest> Requests { get { lock (_gate) return [.. _requests]; } }

    /// <summary>The POST, PUT, PATCH and DELETE requests answered so far.</summary>
    public IReadOnlyList<FakeApiRequest> MutatingRequests { get { lock (_gate) return [.. _requests.Where(r => r.IsMutating)]; } }

    /// <summary>
    /// While true, Deployments, StatefulSets and DaemonSets report zero ready replicas (a rollout that never
    /// finishes). Setting it back to false makes every workload ready, as a watch would see.
    /// </summary>
    public bool HoldWorkloadsNotReady
    {
        get { lock (_gate) return !_lifecycle.WorkloadsReady; }
        set
        {
            lock (_gate)
            {
                _lifecycle.WorkloadsReady = !value;
                foreach (var type in new[] { ResourceTypes.Deployment, ResourceTypes.StatefulSet, ResourceTypes.DaemonSet })
                    foreach (var obj in _store.List(type.Group, type.Plural, null))
                    {
                        var updated = (JsonObject)obj.DeepClone();
                        _lifecycle.RefreshWorkloadStatus(type, updated);
                        if (!ObjectLifecycle.Unchanged(obj, updated)) _store.Put(KeyOf(type, updated), updated);
                    }
            }
        }
    }

    public static async Task<FakeKubernetesApi> StartAsync(FakeKubernetesApiOptions? options = null, CancellationToken cancellationToken = default)
    {
        var api = new FakeKubernetesApi(options ?? new FakeKubernetesApiOptions());
        if (api.Options.SeedKindObjects) api.SeedKindCluster(); else api.SeedMinimal();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(api.HandleHttpAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Url = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        api._app = app;
        return api;
    }

    /// <summary>A KubernetesClient talking to this server directly (tests of the fake; the engine uses a kubeconfig).</summary>
    public k8s.Kubernetes CreateClient() => new(new KubernetesClientConfiguration { Host = Url.ToString() });

    /// <summary>
    /// Fail the next <paramref name="times"/> requests whose method matches and whose path (with query)
    /// matches the regular expression <paramref name="pathPattern"/>, with a Status of the given code.
    /// </summary>
    public void FailNext(string method, string pathPattern, int times = 1, int statusCode = 500,
        string reason = "InternalError", string message = "Internal error occurred: injected by the test")
    {
        lock (_gate) _failures.Add(new FailureRule(method.ToUpperInvariant(), new Regex(pathPattern), times, statusCode, reason, message));
    }

    /// <summary>Forget the recorded requests (e.g. between a first and a second run).</summary>
    public void ClearRequests() { lock (_gate) _requests.Clear(); }

    /// <summary>The stored object, or null.</summary>
    public JsonObject? Get(string apiVersion, string kind, string? ns, string name)
    {
        lock (_gate)
        {
            var type = FindType(apiVersion, kind) ?? throw new KeyNotFoundException($"the fake API server does not serve {apiVersion} {kind}");
            return _store.Get(KeyOf(type, type.Namespaced ? ns ?? "default" : "", name))?.DeepClone().AsObject();
        }
    }

    /// <summary>The stored objects of a kind, in one namespace or (null) all of them.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns = null)
    {
        lock (_gate)
        {
            var type = FindType(apiVersion, kind) ?? throw new KeyNotFoundException($"the fake API server does not serve {apiVersion} {kind}");
            return [.. _store.List(type.Group, type.Plural, type.Namespaced ? ns : null).Select(o => o.DeepClone().AsObject())];
        }
    }

    /// <summary>
    /// One API call without HTTP: what the fake kubectl and helm use, recorded like an HTTP request.
    /// <paramref name="pathAndQuery"/> is a REST path such as "/api/v1/namespaces/default/configmaps?fieldManager=x".
    /// </summary>
    public ApiResult Send(string method, string pathAndQuery, string? body = null, string? contentType = null, string source = "test")
    {
        var (path, query) = SplitQuery(pathAndQuery);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || _down) throw new InvalidOperationException("the fake API server has been stopped");
            var result = InjectedFailure(method, pathAndQuery) ?? Handle(method.ToUpperInvariant(), path, query, contentType, body ?? "");
            _requests.Add(new FakeApiRequest(DateTimeOffset.UtcNow, method.ToUpperInvariant(), path,
                string.Join('&', query.Select(q => $"{q.Key}={q.Value}")), result.StatusCode, source));
            return result;
        }
    }

    /// <summary>The kind served for apiVersion + kind (built in, or from a stored CRD), or null.</summary>
    public ResourceType? FindType(string apiVersion, string kind)
    {
        lock (_gate) return AllTypes().FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);
    }

    /// <summary>The kind kubectl means by a resource name ("cm", "deployments.apps", "ipaddresspools.metallb.io").</summary>
    public ResourceType? FindTypeByName(string name)
    {
        lock (_gate)
        {
            var lower = name.ToLowerInvariant();
            return AllTypes().FirstOrDefault(t => t.Matches(lower) && t.Group.Length == 0)
                ?? AllTypes().FirstOrDefault(t => t.Matches(lower));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync();
        lock (_gate) _store.StopAll();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
        _stopping.Dispose();
    }

    internal CancellationToken Stopping => _stopping.Token;

    internal Lock Gate => _gate;

    internal FakeObjectStore Store => _store;

    internal static ObjectKey KeyOf(ResourceType type, string ns, string name) =>
        new(type.Group, type.Plural, type.Namespaced ? ns : "", name);

    internal static ObjectKey KeyOf(ResourceType type, JsonObject obj) =>
        KeyOf(type, (string?)obj["metadata"]?["namespace"] ?? "", (string?)obj["metadata"]?["name"] ?? "");

    private IEnumerable<ResourceType> AllTypes() =>
        ResourceTypes.BuiltIn.Concat(_store.List(ResourceTypes.CustomResourceDefinition.Group, ResourceTypes.CustomResourceDefinition.Plural, null)
            .SelectMany(ResourceTypes.FromCrd));

    private ApiResult? InjectedFailure(string method, string pathAndQuery)
    {
        var rule = _failures.FirstOrDefault(f => f.Remaining > 0 && f.Method == method.ToUpperInvariant() && f.Path.IsMatch(pathAndQuery));
        if (rule is null) return null;
        rule.Remaining--;
        return ApiResult.Failure(rule.StatusCode, rule.Reason, rule.Message);
    }

    private ApiResult Handle(string method, string path, Dictionary<string, string> query, string? contentType, string body)
    {
        if (method == "GET" && Discovery(path) is { } discovery) return discovery;
        if (ApiPath.Parse(path) is not { } target) return ApiResult.NoSuchResource();
        var type = AllTypes().FirstOrDefault(t => t.Group == target.Group && t.Version == target.Version && t.Plural == target.Plural);
        if (type is null) return ApiResult.NoSuchResource();
        if (!type.Namespaced && target.Namespace is not null) return ApiResult.NoSuchResource();
        if (type.Namespaced && target.Namespace is null && (target.Name is not null || method != "GET")) return ApiResult.NoSuchResource();
        var ns = target.Namespace ?? "";
        var status = target.Subresource == "status";
        if (target.Subresource is not null && !status) return ApiResult.NoSuchResource();
        try
        {
            return (method, target.Name) switch
            {
                ("GET", null) => ListObjects(type, target.Namespace, query),
                ("GET", { } name) => _store.Get(KeyOf(type, ns, name)) is { } found ? ApiResult.Ok(found.DeepClone()) : ApiResult.NotFound(type, name),
                ("POST", null) => Create(type, ns, ParseObject(body), query),
                ("PUT", { } name) => Replace(type, ns, name, ParseObject(body), status),
                ("PATCH", { } name) => Patch(type, ns, name, contentType ?? "", body, query, status),
                ("DELETE", { } name) => Delete(type, ns, name),
                _ => ApiResult.Failure(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource"),
            };
        }
        catch (Exception e) when (e is InvalidDataException or YamlDotNet.Core.YamlException or System.Text.Json.JsonException or FormatException)
        {
            return ApiResult.BadRequest(e.Message);
        }
    }

    private static JsonObject ParseObject(string body) =>
        JsonYaml.Parse(body) as JsonObject ?? throw new InvalidDataException("the request body is not an object");

    private ApiResult ListObjects(ResourceType type, string? ns, Dictionary<string, string> query)
    {
        var labels = LabelSelector.Parse(query.GetValueOrDefault("labelSelector"));
        var fields = LabelSelector.Parse(query.GetValueOrDefault("fieldSelector"));
        var items = new JsonArray();
        foreach (var obj in _store.List(type.Group, type.Plural, type.Namespaced ? ns : null))
        {
            if (!labels.Matches(obj) || !fields.MatchesFields(obj)) continue;
            var item = (JsonObject)obj.DeepClone();
            item.Remove("apiVersion");
            item.Remove("kind");
            items.Add(item);
        }
        return ApiResult.Ok(new JsonObject
        {
            ["kind"] = type.Kind + "List",
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = _store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = items,
        });
    }

    private ApiResult? CheckTarget(ResourceType type, string ns, JsonObject body, string? expectedName)
    {
        if ((string?)body["kind"] is { } kind && kind != type.Kind)
            return ApiResult.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        var bodyNs = (string?)body["metadata"]?["namespace"];
        if (type.Namespaced && bodyNs is not null && bodyNs != ns)
            return ApiResult.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        var name = (string?)body["metadata"]?["name"];
        if (expectedName is not null && name is not null && name != expectedName)
            return ApiResult.BadRequest("the name of the object (" + name + ") does not match the name on the URL (" + expectedName + ")");
        if (type.Namespaced && _store.Get(KeyOf(ResourceTypes.Namespace, "", ns)) is null)
            return ApiResult.Failure(404, "NotFound", $"namespaces \"{ns}\" not found", ns, "namespaces");
        return null;
    }

    private ApiResult Create(ResourceType type, string ns, JsonObject body, Dictionary<string, string> query)
    {
        if (CheckTarget(type, ns, body, null) is { } bad) return bad;
        var name = (string?)body["metadata"]?["name"];
        if (name is null && (string?)body["metadata"]?["generateName"] is { } prefix)
            name = prefix + Guid.NewGuid().ToString("N")[..5];
        if (string.IsNullOrEmpty(name))
            return ApiResult.Invalid(type, "", "metadata.name: Required value: name or generateName is required");
        if (!NamePattern().IsMatch(name))
            return ApiResult.Invalid(type, name, $"metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        var key = KeyOf(type, ns, name);
        if (_store.Get(key) is not null) return ApiResult.AlreadyExists(type, name);
        if (query.GetValueOrDefault("dryRun") == "All") return ApiResult.Created(_lifecycle.Prepare(type, body, null, ns, name, AcceptsStatus(type)));
        var stored = _store.Put(key, _lifecycle.Prepare(type, body, null, ns, name, AcceptsStatus(type)));
        AfterWrite(type, stored);
        return ApiResult.Created(stored.DeepClone());
    }

    private ApiResult Replace(ResourceType type, string ns, string name, JsonObject body, bool statusOnly)
    {
        if (CheckTarget(type, ns, body, name) is { } bad) return bad;
        var key = KeyOf(type, ns, name);
        if (_store.Get(key) is not { } existing) return ApiResult.NotFound(type, name);
        var expected = (string?)body["metadata"]?["resourceVersion"];
        if (expected is not null && expected != (string?)existing["metadata"]?["resourceVersion"]) return ApiResult.Conflict(type, name);
        JsonObject candidate;
        if (statusOnly)
        {
            candidate = (JsonObject)existing.DeepClone();
            candidate["status"] = body["status"]?.DeepClone();
        }
        else candidate = _lifecycle.Prepare(type, body, existing, ns, name, AcceptsStatus(type));
        return Write(type, key, existing, candidate);
    }

    private ApiResult Patch(ResourceType type, string ns, string name, string contentType, string body, Dictionary<string, string> query, bool statusOnly)
    {
        var key = KeyOf(type, ns, name);
        var existing = _store.Get(key);
        var mediaType = contentType.Split(';')[0].Trim();
        switch (mediaType)
        {
            case ObjectPatches.ApplyPatch:
                if (!query.TryGetValue("fieldManager", out var manager) || manager.Length == 0)
                    return ApiResult.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
                var applied = ParseObject(body);
                if ((string?)applied["apiVersion"] is null || (string?)applied["kind"] is null)
                    return ApiResult.BadRequest("apiVersion and kind must be set in an apply patch");
                if (CheckTarget(type, ns, applied, name) is { } bad) return bad;
                JsonObject candidate;
                if (existing is null)
                {
                    if (statusOnly) return ApiResult.NotFound(type, name);
                    candidate = _lifecycle.Prepare(type, applied, null, ns, name, AcceptsStatus(type));
                }
                else
                {
                    var merged = ObjectPatches.Apply(existing, applied, _store.LastApplied(key, manager));
                    candidate = statusOnly ? WithStatusOf(existing, merged) : _lifecycle.Prepare(type, merged, existing, ns, name, AcceptsStatus(type) && applied["status"] is not null);
                }
                _store.RecordApplied(key, manager, (JsonObject)applied.DeepClone());
                var result = Write(type, key, existing, candidate);
                return existing is null && result.IsSuccess ? ApiResult.Created(result.Body) : result;
            case ObjectPatches.MergePatch or ObjectPatches.StrategicMergePatch or ObjectPatches.JsonPatch:
                if (existing is null) return ApiResult.NotFound(type, name);
                var patched = mediaType == ObjectPatches.JsonPatch
                    ? ObjectPatches.ApplyJsonPatch(existing, JsonYaml.Parse(body) as JsonArray ?? throw new InvalidDataException("a json patch must be an array"))
                    : ObjectPatches.Merge(existing, JsonYaml.Parse(body));
                if (patched is not JsonObject patchedObject) return ApiResult.BadRequest("the patch does not produce an object");
                var next = statusOnly ? WithStatusOf(existing, patchedObject)
                    : _lifecycle.Prepare(type, patchedObject, existing, ns, name, AcceptsStatus(type));
                return Write(type, key, existing, next);
            default:
                return ApiResult.Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {ObjectPatches.JsonPatch}, {ObjectPatches.MergePatch}, {ObjectPatches.ApplyPatch}, {ObjectPatches.StrategicMergePatch}");
        }
    }

    private static JsonObject WithStatusOf(JsonObject existing, JsonObject source)
    {
        var result = (JsonObject)existing.DeepClone();
        result["status"] = source["status"]?.DeepClone();
        return result;
    }

    private ApiResult Write(ResourceType type, ObjectKey key, JsonObject? existing, JsonObject candidate)
    {
        if (ObjectLifecycle.Unchanged(existing, WithVersionOf(existing, candidate))) return ApiResult.Ok(existing!.DeepClone());
        var stored = _store.Put(key, candidate);
        AfterWrite(type, stored);
        return ApiResult.Ok(stored.DeepClone());
    }

    private static JsonObject WithVersionOf(JsonObject? existing, JsonObject candidate)
    {
        var copy = (JsonObject)candidate.DeepClone();
        copy["metadata"]!["resourceVersion"] = (string?)existing?["metadata"]?["resourceVersion"];
        return copy;
    }

    private ApiResult Delete(ResourceType type, string ns, string name)
    {
        var key = KeyOf(type, ns, name);
        if (_store.Delete(key) is not { } removed) return ApiResult.NotFound(type, name);
        if (type == ResourceTypes.Namespace)
            foreach (var inside in _store.All.Where(kv => kv.Key.Namespace == name).Select(kv => kv.Key).ToList())
                _store.Delete(inside);
        if (type == ResourceTypes.CustomResourceDefinition)
            foreach (var served in ResourceTypes.FromCrd(removed))
                foreach (var instance in _store.All.Where(kv => kv.Key.Group == served.Group && kv.Key.Plural == served.Plural).Select(kv => kv.Key).ToList())
                    _store.Delete(instance);
        _loadBalancers.OnWrite(type, removed);
        return ApiResult.Deleted(type, removed);
    }

    private void AfterWrite(ResourceType type, JsonObject stored)
    {
        _loadBalancers.OnWrite(type, stored);
        if (type == ResourceTypes.Deployment || type == ResourceTypes.StatefulSet || type == ResourceTypes.DaemonSet) AddFaultyPod(type, stored);
    }

    private bool AcceptsStatus(ResourceType type)
    {
        if (ResourceTypes.BuiltIn.Contains(type)) return false;
        var crd = _store.List(ResourceTypes.CustomResourceDefinition.Group, ResourceTypes.CustomResourceDefinition.Plural, null)
            .FirstOrDefault(c => (string?)c["spec"]?["group"] == type.Group && (string?)c["spec"]?["names"]?["plural"] == type.Plural);
        var version = crd?["spec"]?["versions"]?.AsArray().FirstOrDefault(v => (string?)v?["name"] == type.Version);
        return version?["subresources"]?["status"] is null;
    }

    private static (string Path, Dictionary<string, string> Query) SplitQuery(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?');
        if (q < 0) return (pathAndQuery, []);
        var query = pathAndQuery[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .GroupBy(p => Uri.UnescapeDataString(p[0]))
            .ToDictionary(g => g.Key, g => Uri.UnescapeDataString((g.Last().ElementAtOrDefault(1) ?? "").Replace('+', ' ')));
        return (pathAndQuery[..q], query);
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex NamePattern();

    private sealed class FailureRule(string method, Regex path, int remaining, int statusCode, string reason, string message)
    {
        public string Method { get; } = method;
        public Regex Path { get; } = path;
        public int Remaining { get; set; } = remaining;
        public int StatusCode { get; } = statusCode;
        public string Reason { get; } = reason;
        public string Message { get; } = message;
    }
}
