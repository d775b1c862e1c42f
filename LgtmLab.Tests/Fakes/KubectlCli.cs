using System.Globalization;
using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake `kubectl`: version, config (current-context, get-contexts, use-context, delete-context|cluster|user,
/// view), cluster-info, apply (server-side or client-side), create, get (-o json|yaml|name|jsonpath|table),
/// delete, label, annotate, patch, wait, rollout status. Every API call goes to the fake API server of the
/// context's cluster (recorded there with source "kubectl"), so later reads through KubernetesClient see it.
/// </summary>
internal sealed class KubectlCli(FakeToolbox toolbox)
{
    private static readonly HashSet<string> ValueFlags =
    [
        "--context", "--kubeconfig", "-n", "--namespace", "-f", "--filename", "-o", "--output", "--field-manager", "-l", "--selector",
        "--field-selector", "--timeout", "--for", "--request-timeout", "-v", "--type", "-p", "--patch", "--cluster", "--user", "-s",
        "--server", "--template", "--sort-by", "-c", "--container", "--grace-period", "--cascade", "--dry-run", "--from-literal",
        "--from-file", "--image", "--replicas", "--show-kind", "--chunk-size", "--subresource", "--validate", "--prune-allowlist",
    ];

    public async Task<int> RunAsync(FakeCall call)
    {
        CommandLine line;
        try { line = CommandLine.Parse(call.Args, ValueFlags); }
        catch (ArgumentException e) { call.ErrLine($"error: {e.Message}"); return 1; }
        var words = line.Positionals;
        switch (words.FirstOrDefault())
        {
            case "version": return Version(call, line);
            case "config": return Config(call, line);
            case null: call.OutLine("kubectl controls the Kubernetes cluster manager."); return 0;
        }
        var context = KubeContext.Resolve(toolbox, call, line.Get("--kubeconfig"), line.Get("--context"), out var error);
        if (context is null) { call.ErrLine(error); return 1; }
        var ns = line.Get("-n", "--namespace") ?? context.Namespace ?? "default";
        var api = context.Api!;
        return words[0] switch
        {
            "cluster-info" => ClusterInfo(call, context),
            "apply" => Apply(call, line, api, ns),
            "create" => Create(call, line, api, ns),
            "get" => Get(call, line, api, ns),
            "delete" => Delete(call, line, api, ns),
            "label" => Label(call, line, api, ns, "labels", "labeled"),
            "annotate" => Label(call, line, api, ns, "annotations", "annotated"),
            "patch" => Patch(call, line, api, ns),
            "wait" => await WaitAsync(call, line, api, ns),
            "rollout" when words.ElementAtOrDefault(1) == "status" => await RolloutStatusAsync(call, line, api, ns),
            _ => toolbox.NotImplemented(call),
        };
    }

    private int Version(FakeCall call, CommandLine line)
    {
        var version = toolbox.Versions.Tool("kubectl").Version;
        var parts = version.TrimStart('v').Split('.');
        var client = new JsonObject
        {
            ["major"] = parts[0], ["minor"] = parts.ElementAtOrDefault(1) ?? "0", ["gitVersion"] = version,
            ["gitCommit"] = "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828", ["gitTreeState"] = "clean",
            ["buildDate"] = "2026-05-12T18:03:42Z", ["goVersion"] = "go1.25.9", ["compiler"] = "gc", ["platform"] = "linux/amd64",
        };
        var output = new JsonObject { ["clientVersion"] = client, ["kustomizeVersion"] = "v5.7.1" };
        if (!line.Has("--client"))
        {
            var context = KubeContext.Resolve(toolbox, call, line.Get("--kubeconfig"), line.Get("--context"), out var error);
            if (context is null)
            {
                if (line.Get("-o", "--output") is null) { call.OutLine($"Client Version: {version}"); call.OutLine("Kustomize Version: v5.7.1"); }
                call.ErrLine(error);
                return 1;
            }
            output["serverVersion"] = context.Api!.Send("GET", "/version", source: "kubectl").Body.DeepClone();
        }
        switch (line.Get("-o", "--output"))
        {
            case "json": call.OutLine(JsonYaml.ToJson(output, indented: true)); break;
            case "yaml": call.Out(JsonYaml.ToYaml(output)); break;
            default:
                call.OutLine($"Client Version: {version}");
                call.OutLine("Kustomize Version: v5.7.1");
                if (output["serverVersion"] is { } server) call.OutLine($"Server Version: {(string?)server["gitVersion"]}");
                break;
        }
        return 0;
    }

    private int Config(FakeCall call, CommandLine line)
    {
        var path = FakeKubeconfig.PathFor(call, line.Get("--kubeconfig"));
        var words = line.Positionals;
        lock (toolbox.State)
        {
            var config = FakeKubeconfig.Load(path);
            var current = (string?)config["current-context"] ?? "";
            switch (words.ElementAtOrDefault(1))
            {
                case "current-context":
                    if (current.Length == 0) { call.ErrLine("error: current-context is not set"); return 1; }
                    call.OutLine(current);
                    return 0;
                case "get-contexts":
                    var names = FakeKubeconfig.Names(config, "contexts").ToList();
                    if (words.Count > 2) names = [.. names.Where(n => words.Skip(2).Contains(n))];
                    if (line.Get("-o", "--output") == "name") { foreach (var n in names) call.OutLine(n); return 0; }
                    call.OutLine("CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE");
                    foreach (var n in names)
                    {
                        var ctx = FakeKubeconfig.Entry(config, "contexts", n)?["context"];
                        call.OutLine($"{(n == current ? "*" : " "),-9} {n}   {(string?)ctx?["cluster"]}   {(string?)ctx?["user"]}   {(string?)ctx?["namespace"]}");
                    }
                    return 0;
                case "use-context" when words.ElementAtOrDefault(2) is { } use:
                    if (FakeKubeconfig.Entry(config, "contexts", use) is null) { call.ErrLine($"error: no context exists with the name: \"{use}\""); return 1; }
                    config["current-context"] = use;
                    FakeKubeconfig.Save(path, config);
                    call.OutLine($"Switched to context \"{use}\".");
                    return 0;
                case "delete-context" when words.ElementAtOrDefault(2) is { } context:
                    if (!FakeKubeconfig.Remove(config, "contexts", context)) { call.ErrLine($"error: cannot delete context {context}, not in {path}"); return 1; }
                    if (current == context) call.ErrLine("warning: this removed your active context, use \"kubectl config use-context\" to select a different one");
                    FakeKubeconfig.Save(path, config);
                    call.OutLine($"deleted context {context} from {path}");
                    return 0;
                case "delete-cluster" when words.ElementAtOrDefault(2) is { } cluster:
                    if (!FakeKubeconfig.Remove(config, "clusters", cluster)) { call.ErrLine($"error: cannot delete cluster {cluster}, not in {path}"); return 1; }
                    FakeKubeconfig.Save(path, config);
                    call.OutLine($"deleted cluster {cluster} from {path}");
                    return 0;
                case "delete-user" when words.ElementAtOrDefault(2) is { } user:
                    if (!FakeKubeconfig.Remove(config, "users", user)) { call.ErrLine($"error: cannot delete user {user}, not in {path}"); return 1; }
                    FakeKubeconfig.Save(path, config);
                    call.OutLine($"deleted user {user} from {path}");
                    return 0;
                case "view":
                    var view = (JsonObject)config.DeepClone();
                    if (line.Has("--minify"))
                    {
                        var ctx = FakeKubeconfig.Entry(config, "contexts", current);
                        view["contexts"] = new JsonArray([.. new[] { ctx?.DeepClone() }.OfType<JsonNode>()]);
                        view["clusters"] = new JsonArray([.. new[] { FakeKubeconfig.Entry(config, "clusters", (string?)ctx?["context"]?["cluster"] ?? "")?.DeepClone() }.OfType<JsonNode>()]);
                        view["users"] = new JsonArray([.. new[] { FakeKubeconfig.Entry(config, "users", (string?)ctx?["context"]?["user"] ?? "")?.DeepClone() }.OfType<JsonNode>()]);
                    }
                    if (!line.Has("--raw")) Redact(view);
                    return Print(call, line.Get("-o", "--output") ?? "yaml", view);
                default:
                    return toolbox.NotImplemented(call);
            }
        }
    }

    private static void Redact(JsonObject config)
    {
        foreach (var entry in (config["clusters"] as JsonArray ?? []).OfType<JsonObject>())
            if (entry["cluster"]?["certificate-authority-data"] is not null) entry["cluster"]!["certificate-authority-data"] = "DATA+OMITTED";
        foreach (var entry in (config["users"] as JsonArray ?? []).OfType<JsonObject>())
            foreach (var key in new[] { "client-certificate-data", "client-key-data", "token" })
                if (entry["user"]?[key] is not null) entry["user"]![key] = key == "token" ? "REDACTED" : "DATA+OMITTED";
    }

    private static int ClusterInfo(FakeCall call, KubeContext context)
    {
        call.OutLine($"Kubernetes control plane is running at {context.Server}");
        call.OutLine($"CoreDNS is running at {context.Server}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy");
        call.OutLine();
        call.OutLine("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.");
        return 0;
    }

    private int Apply(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns)
    {
        var files = line.All("-f", "--filename");
        if (files.Count == 0) { call.ErrLine("error: must specify one of -f and -k"); return 1; }
        if (!TryLoad(call, line, out var objects)) return 1;
        var serverSide = line.Has("--server-side");
        var manager = line.Get("--field-manager") ?? (serverSide ? "kubectl" : "kubectl-client-side-apply");
        var dryRun = line.Get("--dry-run") is "server" ? "&dryRun=All" : "";
        var failed = false;
        foreach (var (source, obj) in objects)
        {
            if (Locate(call, api, source, obj, ns, line.Get("-n", "--namespace")) is not var (type, objectNs, name)) { failed = true; continue; }
            var before = serverSide ? null : api.Send("GET", type.ObjectPath(objectNs, name), source: "kubectl");
            var force = serverSide && line.Has("--force-conflicts") ? "&force=true" : "";
            var result = api.Send("PATCH", $"{type.ObjectPath(objectNs, name)}?fieldManager={Uri.EscapeDataString(manager)}{force}{dryRun}",
                JsonYaml.ToJson(obj), ObjectPatches.ApplyPatch, "kubectl");
            if (!result.IsSuccess) { ServerError(call, result, "creating", source); failed = true; continue; }
            var verb = serverSide ? "serverside-applied"
                : !before!.IsSuccess ? "created"
                : (string?)before.Body["metadata"]?["resourceVersion"] == (string?)result.Body["metadata"]?["resourceVersion"] ? "unchanged" : "configured";
            call.OutLine($"{type.KubectlName}/{name} {verb}{(dryRun.Length > 0 ? " (server dry run)" : "")}");
        }
        return failed ? 1 : 0;
    }

    private int Create(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns)
    {
        var words = line.Positionals;
        if (words.ElementAtOrDefault(1) is "namespace" or "ns" && words.ElementAtOrDefault(2) is { } newNamespace)
        {
            var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = newNamespace } };
            var created = api.Send("POST", ResourceTypes.Namespace.CollectionPath(null), JsonYaml.ToJson(body), "application/json", "kubectl");
            if (!created.IsSuccess) { call.ErrLine($"Error from server ({created.Reason}): {created.Message}"); return 1; }
            call.OutLine($"namespace/{newNamespace} created");
            return 0;
        }
        if (line.All("-f", "--filename").Count == 0) return toolbox.NotImplemented(call);
        if (!TryLoad(call, line, out var objects)) return 1;
        var failed = false;
        foreach (var (source, obj) in objects)
        {
            if (Locate(call, api, source, obj, ns, line.Get("-n", "--namespace")) is not var (type, objectNs, name)) { failed = true; continue; }
            var result = api.Send("POST", type.CollectionPath(objectNs), JsonYaml.ToJson(obj), "application/json", "kubectl");
            if (!result.IsSuccess) { ServerError(call, result, "creating", source); failed = true; continue; }
            call.OutLine($"{type.KubectlName}/{name} created");
        }
        return failed ? 1 : 0;
    }

    private int Get(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns)
    {
        var allNamespaces = line.Has("-A", "--all-namespaces");
        var output = line.Get("-o", "--output");
        var ignoreNotFound = line.Has("--ignore-not-found");
        if (!TryTargets(call, line, api, out var targets)) return 1;
        var selector = line.Get("-l", "--selector");
        var fieldSelector = line.Get("--field-selector");
        var found = new List<(ResourceType Type, JsonObject Object)>();
        var failed = false;
        var singleObject = targets.Count == 1 && targets[0].Name is not null;
        foreach (var (type, name) in targets)
        {
            var targetNs = type.Namespaced ? (allNamespaces && name is null ? null : ns) : null;
            if (name is not null)
            {
                var result = api.Send("GET", type.ObjectPath(targetNs, name), source: "kubectl");
                if (result.IsSuccess) found.Add((type, result.Body.AsObject()));
                else if (!(ignoreNotFound && result.StatusCode == 404)) { call.ErrLine($"Error from server ({result.Reason}): {result.Message}"); failed = true; }
                continue;
            }
            var query = new List<string>();
            if (selector is not null) query.Add("labelSelector=" + Uri.EscapeDataString(selector));
            if (fieldSelector is not null) query.Add("fieldSelector=" + Uri.EscapeDataString(fieldSelector));
            var list = api.Send("GET", type.CollectionPath(targetNs) + (query.Count > 0 ? "?" + string.Join('&', query) : ""), source: "kubectl");
            if (!list.IsSuccess) { call.ErrLine($"Error from server ({list.Reason}): {list.Message}"); failed = true; continue; }
            foreach (var item in list.Body["items"]!.AsArray().OfType<JsonObject>())
            {
                var full = (JsonObject)item.DeepClone();
                full["apiVersion"] = type.ApiVersion;
                full["kind"] = type.Kind;
                found.Add((type, full));
            }
        }
        if (found.Count == 0 && !failed && !singleObject && output is null or "wide" && !ignoreNotFound)
            call.ErrLine(targets.All(t => !t.Type.Namespaced) || allNamespaces ? "No resources found" : $"No resources found in {ns} namespace.");
        JsonNode document = singleObject && found.Count == 1 ? found[0].Object
            : new JsonObject
            {
                ["apiVersion"] = "v1",
                ["items"] = new JsonArray([.. found.Select(f => (JsonNode)f.Object.DeepClone())]),
                ["kind"] = "List",
                ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
            };
        if (output is "name")
        {
            foreach (var (type, obj) in found) call.OutLine($"{type.KubectlName}/{obj["metadata"]?["name"]}");
        }
        else if (output is null or "wide")
        {
            if (found.Count > 0) Table(call, found, allNamespaces);
        }
        else if (Print(call, output, document) != 0) return 1;
        return failed ? 1 : 0;
    }

    private static void Table(FakeCall call, List<(ResourceType Type, JsonObject Object)> rows, bool withNamespace)
    {
        var width = rows.Max(r => ((string?)r.Object["metadata"]?["name"] ?? "").Length) + 3;
        var nsWidth = rows.Max(r => ((string?)r.Object["metadata"]?["namespace"] ?? "").Length) + 3;
        call.OutLine((withNamespace ? "NAMESPACE".PadRight(nsWidth) : "") + "NAME".PadRight(width) + "AGE");
        foreach (var (_, obj) in rows)
            call.OutLine((withNamespace ? ((string?)obj["metadata"]?["namespace"] ?? "").PadRight(nsWidth) : "")
                + ((string?)obj["metadata"]?["name"] ?? "").PadRight(width) + "5m");
    }

    private static int Print(FakeCall call, string output, JsonNode document)
    {
        if (output == "json") { call.OutLine(JsonYaml.ToJson(document, indented: true)); return 0; }
        if (output == "yaml") { call.Out(JsonYaml.ToYaml(document)); return 0; }
        if (output.StartsWith("jsonpath=", StringComparison.Ordinal) || output.StartsWith("jsonpath-as-json=", StringComparison.Ordinal))
        {
            var template = output[(output.IndexOf('=') + 1)..].Trim('\'');
            try { call.Out(JsonPath.Render(template, document)); }
            catch (FormatException e) { call.ErrLine($"error: error parsing jsonpath {template}, {e.Message}"); return 1; }
            return 0;
        }
        call.ErrLine($"error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml");
        return 1;
    }

    private int Delete(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns)
    {
        var ignoreNotFound = line.Has("--ignore-not-found");
        var targets = new List<(ResourceType Type, string? Ns, string Name, string? Source)>();
        if (line.All("-f", "--filename").Count > 0)
        {
            if (!TryLoad(call, line, out var objects)) return 1;
            foreach (var (source, obj) in objects)
                if (Locate(call, api, source, obj, ns, line.Get("-n", "--namespace")) is var (type, objectNs, name)) targets.Add((type, objectNs, name, source));
        }
        else
        {
            if (!TryTargets(call, line, api, out var named)) return 1;
            foreach (var (type, name) in named)
            {
                if (name is null) { call.ErrLine("error: resource(s) were provided, but no name was specified"); return 1; }
                targets.Add((type, type.Namespaced ? ns : null, name, null));
            }
        }
        var failed = false;
        foreach (var (type, objectNs, name, source) in targets)
        {
            var result = api.Send("DELETE", type.ObjectPath(objectNs, name), source: "kubectl");
            if (result.IsSuccess) call.OutLine($"{type.KubectlName} \"{name}\" deleted");
            else if (!(ignoreNotFound && result.StatusCode == 404))
            {
                call.ErrLine(source is null ? $"Error from server ({result.Reason}): {result.Message}"
                    : $"Error from server ({result.Reason}): error when deleting \"{source}\": {result.Message}");
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }

    private int Label(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns, string field, string done)
    {
        var words = line.Positionals.Skip(1).ToList();
        var changes = words.Where(w => w.Contains('=') || w.EndsWith('-')).ToList();
        var resourceWords = words.Except(changes).ToList();
        if (!TryTargets(call, resourceWords, api, out var targets)) return 1;
        var overwrite = line.Has("--overwrite");
        var failed = false;
        foreach (var (type, name) in targets)
        {
            if (name is null) { call.ErrLine("error: resource(s) were provided, but no name was specified"); return 1; }
            var path = type.ObjectPath(type.Namespaced ? ns : null, name);
            var current = api.Send("GET", path, source: "kubectl");
            if (!current.IsSuccess) { call.ErrLine($"Error from server ({current.Reason}): {current.Message}"); failed = true; continue; }
            var existing = current.Body["metadata"]?[field] as JsonObject ?? [];
            var patch = new JsonObject();
            foreach (var change in changes)
            {
                if (change.EndsWith('-') && !change.Contains('=')) { patch[change[..^1]] = null; continue; }
                var (key, value) = (change[..change.IndexOf('=')], change[(change.IndexOf('=') + 1)..]);
                if (existing[key] is { } old && (string?)old != value && !overwrite)
                {
                    call.ErrLine($"error: '{key}' already has a value ({(string?)old}), and --overwrite is false");
                    return 1;
                }
                patch[key] = value;
            }
            var result = api.Send("PATCH", path, JsonYaml.ToJson(new JsonObject { ["metadata"] = new JsonObject { [field] = patch } }), ObjectPatches.MergePatch, "kubectl");
            if (!result.IsSuccess) { call.ErrLine($"Error from server ({result.Reason}): {result.Message}"); failed = true; continue; }
            var changed = (string?)current.Body["metadata"]?["resourceVersion"] != (string?)result.Body["metadata"]?["resourceVersion"];
            call.OutLine($"{type.KubectlName}/{name} {(changed ? done : "not " + done)}");
        }
        return failed ? 1 : 0;
    }

    private int Patch(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns)
    {
        if (!TryTargets(call, line, api, out var targets) || targets is not [var (type, name)] || name is null)
        {
            call.ErrLine("error: exactly one resource with a name is required");
            return 1;
        }
        var patch = line.Get("-p", "--patch");
        if (patch is null) { call.ErrLine("error: must specify -p to patch"); return 1; }
        var contentType = (line.Get("--type") ?? "strategic") switch
        {
            "json" => ObjectPatches.JsonPatch,
            "merge" => ObjectPatches.MergePatch,
            _ => ObjectPatches.StrategicMergePatch,
        };
        var path = type.ObjectPath(type.Namespaced ? ns : null, name);
        var before = api.Send("GET", path, source: "kubectl");
        var result = api.Send("PATCH", path, patch, contentType, "kubectl");
        if (!result.IsSuccess) { call.ErrLine($"Error from server ({result.Reason}): {result.Message}"); return 1; }
        var changed = (string?)before.Body["metadata"]?["resourceVersion"] != (string?)result.Body["metadata"]?["resourceVersion"];
        call.OutLine($"{type.KubectlName}/{name} patched{(changed ? "" : " (no change)")}");
        return 0;
    }

    private async Task<int> WaitAsync(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns)
    {
        var condition = line.Get("--for") ?? "";
        var timeout = ParseTimeout(line.Get("--timeout")) ?? TimeSpan.FromSeconds(30);
        if (!TryTargets(call, line, api, out var targets)) return 1;
        var objects = new List<(ResourceType Type, string Name)>();
        foreach (var (type, name) in targets)
        {
            if (name is not null) { objects.Add((type, name)); continue; }
            var selector = line.Get("-l", "--selector");
            var list = api.Send("GET", type.CollectionPath(type.Namespaced ? ns : null) + (selector is null ? "" : "?labelSelector=" + Uri.EscapeDataString(selector)), source: "kubectl");
            objects.AddRange(list.Body["items"]!.AsArray().Select(i => (type, (string)i!["metadata"]!["name"]!)));
        }
        if (objects.Count == 0) { call.ErrLine("error: no matching resources found"); return 1; }
        var deadline = DateTime.UtcNow + timeout;
        foreach (var (type, name) in objects)
        {
            var path = type.ObjectPath(type.Namespaced ? ns : null, name);
            while (true)
            {
                var current = api.Send("GET", path, source: "kubectl");
                if (condition == "delete" && current.StatusCode == 404) { call.OutLine($"{type.KubectlName}/{name} condition met"); break; }
                if (condition != "delete" && !current.IsSuccess) { call.ErrLine($"Error from server ({current.Reason}): {current.Message}"); return 1; }
                if (condition != "delete" && Met(condition, current.Body)) { call.OutLine($"{type.KubectlName}/{name} condition met"); break; }
                if (DateTime.UtcNow >= deadline)
                {
                    call.ErrLine($"error: timed out waiting for the condition on {type.Plural}/{name}");
                    return 1;
                }
                await Task.Delay(25, call.Aborted);
            }
        }
        return 0;
    }

    private static bool Met(string condition, JsonNode obj)
    {
        if (condition.StartsWith("condition=", StringComparison.Ordinal))
        {
            var spec = condition["condition=".Length..].Split('=', 2);
            var wanted = spec.ElementAtOrDefault(1) ?? "True";
            return (obj["status"]?["conditions"] as JsonArray ?? []).Any(c =>
                string.Equals((string?)c?["type"], spec[0], StringComparison.OrdinalIgnoreCase)
                && string.Equals((string?)c?["status"], wanted, StringComparison.OrdinalIgnoreCase));
        }
        if (condition.StartsWith("jsonpath=", StringComparison.Ordinal))
        {
            var spec = condition["jsonpath=".Length..];
            var close = spec.LastIndexOf('}');
            var path = spec[..(close + 1)].Trim('\'', '{', '}');
            var wanted = close + 2 <= spec.Length ? spec[(close + 2)..] : null;
            var values = JsonPath.Select(path, obj).ToList();
            return wanted is null ? values.Count > 0 : values.Any(v => v.AsText() == wanted.Trim('\'', '"'));
        }
        return false;
    }

    private async Task<int> RolloutStatusAsync(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns)
    {
        var resourceWords = line.Positionals.Skip(2).ToList();
        if (!TryTargets(call, resourceWords, api, out var targets) || targets is not [var (type, name)] || name is null)
        {
            call.ErrLine("error: required resource not specified");
            return 1;
        }
        var timeout = ParseTimeout(line.Get("--timeout")) ?? TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow + timeout;
        var announced = false;
        while (true)
        {
            var current = api.Send("GET", type.ObjectPath(ns, name), source: "kubectl");
            if (!current.IsSuccess) { call.ErrLine($"Error from server ({current.Reason}): {current.Message}"); return 1; }
            var status = current.Body["status"];
            var (ready, wanted) = type.Kind switch
            {
                "DaemonSet" => (status?["numberReady"].AsLong() ?? 0, status?["desiredNumberScheduled"].AsLong() ?? 0),
                _ => (status?["readyReplicas"].AsLong() ?? 0, current.Body["spec"]?["replicas"].AsLong() ?? 1),
            };
            if (ready >= wanted)
            {
                call.OutLine(type.Kind switch
                {
                    "DaemonSet" => $"daemon set \"{name}\" successfully rolled out",
                    "StatefulSet" => $"partitioned roll out complete: {wanted} new pods have been updated...",
                    _ => $"deployment \"{name}\" successfully rolled out",
                });
                return 0;
            }
            if (!announced)
            {
                call.OutLine($"Waiting for {(type.Kind == "DaemonSet" ? "daemon set" : type.Singular)} \"{name}\" rollout to finish: {ready} of {wanted} updated replicas are available...");
                announced = true;
            }
            if (DateTime.UtcNow >= deadline) { call.ErrLine("error: timed out waiting for the condition"); return 1; }
            await Task.Delay(25, call.Aborted);
        }
    }

    private static TimeSpan? ParseTimeout(string? text)
    {
        if (text is null) return null;
        var total = TimeSpan.Zero;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"(\d+(?:\.\d+)?)(h|ms|m|s)?"))
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch { "h" => TimeSpan.FromHours(value), "m" => TimeSpan.FromMinutes(value), "ms" => TimeSpan.FromMilliseconds(value), _ => TimeSpan.FromSeconds(value) };
        }
        return total;
    }

    private static bool TryLoad(FakeCall call, CommandLine line, out List<(string Source, JsonObject Object)> objects)
    {
        try
        {
            objects = ManifestFiles.Load(call, line.All("-f", "--filename"), line.Has("-R", "--recursive"));
            return true;
        }
        catch (FileNotFoundException e) { call.ErrLine(e.Message); }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or System.Text.Json.JsonException)
        {
            call.ErrLine($"error: error parsing {string.Join(',', line.All("-f", "--filename"))}: {e.Message}");
        }
        objects = [];
        return false;
    }

    /// <summary>The kind, namespace and name of a manifest object, or the error kubectl prints when it has none.</summary>
    private static (ResourceType Type, string? Ns, string Name)? Locate(FakeCall call, FakeKubernetesApi api, string source, JsonObject obj, string ns, string? namespaceFlag)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? "";
        var kind = (string?)obj["kind"] ?? "";
        var name = (string?)obj["metadata"]?["name"] ?? "";
        var objectNs = (string?)obj["metadata"]?["namespace"];
        if (apiVersion.Length == 0 || kind.Length == 0)
        {
            call.ErrLine($"error: error validating \"{source}\": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false");
            return null;
        }
        var type = api.FindType(apiVersion, kind);
        if (type is null)
        {
            call.ErrLine($"error: resource mapping not found for name: \"{name}\" namespace: \"{objectNs ?? namespaceFlag ?? ""}\" from \"{source}\": no matches for kind \"{kind}\" in version \"{apiVersion}\"");
            call.ErrLine("ensure CRDs are installed first");
            return null;
        }
        if (type.Namespaced && objectNs is not null && namespaceFlag is not null && objectNs != namespaceFlag)
        {
            call.ErrLine($"error: the namespace from the provided object \"{objectNs}\" does not match the namespace \"{namespaceFlag}\". You must pass '--namespace={objectNs}' to perform this operation.");
            return null;
        }
        return (type, type.Namespaced ? objectNs ?? ns : null, name);
    }

    private static void ServerError(FakeCall call, ApiResult result, string verb, string source) =>
        call.ErrLine($"Error from server ({result.Reason}): error when {verb} \"{source}\": {result.Message}");

    private static bool TryTargets(FakeCall call, CommandLine line, FakeKubernetesApi api, out List<(ResourceType Type, string? Name)> targets) =>
        TryTargets(call, [.. line.Positionals.Skip(1)], api, out targets);

    /// <summary>"TYPE", "TYPE NAME...", "TYPE/NAME..." and "TYPE1,TYPE2" as kubectl reads them.</summary>
    private static bool TryTargets(FakeCall call, List<string> words, FakeKubernetesApi api, out List<(ResourceType Type, string? Name)> targets)
    {
        targets = [];
        if (words.Count == 0)
        {
            call.ErrLine("error: you must specify the type of resource to get.");
            return false;
        }
        if (words.All(w => w.Contains('/')))
        {
            foreach (var word in words)
            {
                var slash = word.IndexOf('/');
                if (api.FindTypeByName(word[..slash]) is not { } type) return Unknown(call, word[..slash]);
                targets.Add((type, word[(slash + 1)..]));
            }
            return true;
        }
        foreach (var typeName in words[0].Split(','))
        {
            if (api.FindTypeByName(typeName) is not { } type) return Unknown(call, typeName);
            if (words.Count == 1) targets.Add((type, null));
            else targets.AddRange(words.Skip(1).Select(n => (type, (string?)n)));
        }
        return true;
    }

    private static bool Unknown(FakeCall call, string typeName)
    {
        call.ErrLine($"error: the server doesn't have a resource type \"{typeName}\"");
        return false;
    }
}
