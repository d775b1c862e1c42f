using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>The HTTP side: plain requests, watches (newline-delimited JSON events) and discovery.</summary>
internal sealed partial class FakeKubernetesApi
{
    /// <summary>Replace the LoadBalancer address pool at run time; pending Services are served from it.</summary>
    public void SetLoadBalancerAddresses(params string[] entries)
    {
        lock (_gate)
        {
            Options.LoadBalancerAddresses = entries;
            _loadBalancers.AssignPending();
        }
    }

    private async Task HandleHttpAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (path is "/healthz" or "/livez" or "/readyz")
        {
            await context.Response.WriteAsync("ok", context.RequestAborted);
            return;
        }
        if (ServiceProxy(request.Method, path) is { } proxied)
        {
            context.Response.StatusCode = proxied.Status;
            context.Response.ContentType = proxied.ContentType;
            await context.Response.WriteAsync(proxied.Body, context.RequestAborted);
            return;
        }
        if (PodLog(request.Method, path, request.Query) is { } log)
        {
            context.Response.StatusCode = log.Status;
            context.Response.ContentType = log.ContentType;
            await context.Response.WriteAsync(log.Body, context.RequestAborted);
            return;
        }
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync(context.RequestAborted);
        var pathAndQuery = path + request.QueryString.Value;
        if (request.Method == "GET" && request.Query["watch"] is var watch && (watch == "true" || watch == "1"))
        {
            await WatchAsync(context, pathAndQuery);
            return;
        }
        ApiResult result;
        try { result = Send(request.Method, pathAndQuery, body, request.ContentType, "http"); }
        catch (InvalidOperationException) { context.Abort(); return; }
        context.Response.StatusCode = result.StatusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonYaml.ToJson(result.Body), context.RequestAborted);
    }

    private async Task WatchAsync(HttpContext context, string pathAndQuery)
    {
        var (path, query) = SplitQuery(pathAndQuery);
        FakeObjectStore.Watcher? watcher = null;
        ApiResult? refusal;
        lock (_gate)
        {
            refusal = InjectedFailure("GET", pathAndQuery);
            var target = ApiPath.Parse(path);
            var type = target is null ? null
                : AllTypes().FirstOrDefault(t => t.Group == target.Group && t.Version == target.Version && t.Plural == target.Plural);
            if (refusal is null && (target is null || type is null)) refusal = ApiResult.NoSuchResource();
            if (refusal is null)
            {
                var labels = LabelSelector.Parse(query.GetValueOrDefault("labelSelector"));
                var fields = LabelSelector.Parse(query.GetValueOrDefault("fieldSelector"));
                var ns = target!.Namespace;
                bool Wanted(ObjectKey key, JsonObject obj) =>
                    key.Group == type!.Group && key.Plural == type.Plural && (ns is null || key.Namespace == ns)
                    && (target.Name is null || key.Name == target.Name) && labels.Matches(obj) && fields.MatchesFields(obj);
                watcher = _store.Watch(e => Wanted(e.Key, e.Object), query.GetValueOrDefault("resourceVersion"), Wanted);
            }
            _requests.Add(new FakeApiRequest(DateTimeOffset.UtcNow, "GET", path,
                string.Join('&', query.Select(q => $"{q.Key}={q.Value}")), refusal?.StatusCode ?? 200, "http"));
        }
        if (refusal is not null)
        {
            context.Response.StatusCode = refusal.StatusCode;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonYaml.ToJson(refusal.Body), context.RequestAborted);
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        if (query.TryGetValue("timeoutSeconds", out var seconds) && int.TryParse(seconds, CultureInfo.InvariantCulture, out var s))
            timeout.CancelAfter(TimeSpan.FromSeconds(s));
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.Body.FlushAsync(timeout.Token);
            await foreach (var e in watcher!.Events.ReadAllAsync(timeout.Token))
            {
                var line = new JsonObject { ["type"] = e.Type, ["object"] = e.Object.DeepClone() }.ToJsonString(JsonYaml.Compact) + "\n";
                await context.Response.WriteAsync(line, timeout.Token);
                await context.Response.Body.FlushAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            lock (_gate) _store.StopWatching(watcher!);
        }
    }

    private ApiResult? Discovery(string path)
    {
        var trimmed = "/" + path.Trim('/');
        if (trimmed == "/version")
        {
            var version = Options.KubernetesVersion.TrimStart('v').Split('.');
            return ApiResult.Ok(new JsonObject
            {
                ["major"] = version[0], ["minor"] = version.ElementAtOrDefault(1) ?? "0",
                ["emulationMajor"] = version[0], ["emulationMinor"] = version.ElementAtOrDefault(1) ?? "0",
                ["gitVersion"] = Options.KubernetesVersion, ["gitCommit"] = "0000000000000000000000000000000000000000",
                ["gitTreeState"] = "clean", ["buildDate"] = "2026-05-01T00:00:00Z", ["goVersion"] = "go1.25.9",
                ["compiler"] = "gc", ["platform"] = "linux/amd64",
            });
        }
        var types = AllTypes().ToList();
        if (trimmed == "/api")
            return ApiResult.Ok(new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") });
        if (trimmed == "/apis")
        {
            var groups = new JsonArray();
            foreach (var group in types.Where(t => t.Group.Length > 0).GroupBy(t => t.Group))
            {
                var versions = new JsonArray();
                foreach (var v in group.Select(t => t.Version).Distinct())
                    versions.Add(new JsonObject { ["groupVersion"] = $"{group.Key}/{v}", ["version"] = v });
                groups.Add(new JsonObject
                {
                    ["name"] = group.Key, ["versions"] = versions, ["preferredVersion"] = versions[0]!.DeepClone(),
                });
            }
            return ApiResult.Ok(new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups });
        }
        var segments = trimmed.Trim('/').Split('/');
        var groupVersion = segments switch
        {
            ["api", var v] => v,
            ["apis", var g, var v] => $"{g}/{v}",
            _ => null,
        };
        if (groupVersion is null) return null;
        var served = types.Where(t => t.ApiVersion == groupVersion).ToList();
        if (served.Count == 0) return ApiResult.NoSuchResource();
        var resources = new JsonArray();
        foreach (var t in served)
        {
            resources.Add(new JsonObject
            {
                ["name"] = t.Plural, ["singularName"] = t.Singular, ["namespaced"] = t.Namespaced, ["kind"] = t.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
                ["shortNames"] = new JsonArray([.. t.ShortNames.Select(n => (JsonNode?)n)]),
            });
        }
        return ApiResult.Ok(new JsonObject
        {
            ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = resources,
        });
    }
}
