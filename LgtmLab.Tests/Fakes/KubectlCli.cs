using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake `kubectl`: the commands the lab runs, `version --client -o json`, `apply --server-side -f FILE|-`,
/// `config delete-context`, `config use-context` and `config unset current-context`, and `delete TYPE NAME...`, with which tests take objects away. argv is parsed with
/// kubectl v1.35.2's command tree and flags (<see cref="KubectlFlags"/>) and refused as that kubectl refuses it.
/// Every API call goes to the fake API server of the context's cluster (recorded there with source "kubectl"),
/// so later reads through KubernetesClient see it.
/// </summary>
internal sealed class KubectlCli(FakeToolbox toolbox)
{
    public int Run(FakeCall call)
    {
        var parse = CobraParse.Resolve(KubectlFlags.Root, call.Args);
        switch (parse.Outcome)
        {
            case CobraOutcome.NotTranscribed or CobraOutcome.Help:
                return toolbox.NotImplemented(call);
            case CobraOutcome.FindError:
                // kubectl cmd.go: no kubectl-<word> plugin on PATH, so cobra's error is printed as every error is
                // (cmdutil.CheckErr: "error: " and a final newline).
                call.Err($"error: {parse.Error}{(parse.Error.EndsWith('\n') ? "" : "\n")}");
                return 1;
            case CobraOutcome.Error:
                // kubectl's FlagErrorFunc (cmdutil.UsageErrorf): the error, then where the usage is.
                call.ErrLine($"error: {parse.Error}");
                call.ErrLine($"See '{parse.CommandPath} --help' for usage.");
                return 1;
        }
        var line = parse.Line!;
        switch (parse.Words)
        {
            case ["version"]: return Version(call, line);
            case ["config"] when line.Positionals is [var word, ..]:
                // kubectl config's Run (cmdutil.DefaultSubCommandRun) on a word that is no subcommand.
                call.ErrLine($"error: unknown command \"{word}\"");
                call.ErrLine("See 'kubectl config -h' for help and examples");
                return 1;
            case ["config", "delete-context"] when line.Positionals is [var context]: return DeleteContext(call, line, context);
            case ["config", "use-context" or "use"] when line.Positionals is [var context]: return UseContext(call, line, context);
            case ["config", "unset"] when line.Positionals is ["current-context"]: return UnsetCurrentContext(call, line);
            case ["apply"] or ["delete"]: break;
            default: return toolbox.NotImplemented(call);
        }
        var kube = KubeContext.Resolve(toolbox, call, line.Get("--kubeconfig"), line.Get("--context"), out var error);
        if (kube is null) { call.ErrLine(error); return 1; }
        var ns = line.Get("-n", "--namespace") ?? kube.Namespace ?? "default";
        return parse.Words[0] == "apply" ? Apply(call, line, kube.Api!, ns) : Delete(call, line, kube.Api!, ns);
    }

    /// <summary>`kubectl version --client -o json` (the only form the lab runs): the key set of the real kubectl v1.35.2's answer.</summary>
    private int Version(FakeCall call, CommandLine line)
    {
        if (!line.Has("--client") || line.Get("-o", "--output") != "json") return toolbox.NotImplemented(call);
        var version = toolbox.Versions.Tool("kubectl").Version;
        var parts = version.TrimStart('v').Split('.');
        var client = new JsonObject
        {
            ["major"] = parts[0], ["minor"] = parts.ElementAtOrDefault(1) ?? "0", ["gitVersion"] = version,
            ["gitCommit"] = "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828", ["gitTreeState"] = "clean",
            ["buildDate"] = "2026-05-12T18:03:42Z", ["goVersion"] = "go1.25.9", ["compiler"] = "gc", ["platform"] = "linux/amd64",
        };
        call.OutLine(JsonYaml.ToJson(new JsonObject { ["clientVersion"] = client, ["kustomizeVersion"] = "v5.7.1" }, indented: true));
        return 0;
    }

    private int DeleteContext(FakeCall call, CommandLine line, string context)
    {
        var path = FakeKubeconfig.PathFor(call, line.Get("--kubeconfig"));
        lock (toolbox.State)
        {
            var config = FakeKubeconfig.Load(path);
            if (!FakeKubeconfig.Remove(config, "contexts", context)) { call.ErrLine($"error: cannot delete context {context}, not in {path}"); return 1; }
            if ((string?)config["current-context"] == context)
                call.ErrLine("warning: this removed your active context, use \"kubectl config use-context\" to select a different one");
            FakeKubeconfig.Save(path, config);
            call.OutLine($"deleted context {context} from {path}");
            return 0;
        }
    }

    /// <summary>
    /// kubectl v1.35.2 pkg/cmd/config/use_context.go: validate (an empty name, then a name that is no context), set
    /// current-context, write; "Switched to context %q." on stdout. Errors go through cmdutil.CheckErr ("error: ", exit 1).
    /// </summary>
    private int UseContext(FakeCall call, CommandLine line, string context)
    {
        if (context.Length == 0) { call.ErrLine("error: empty context names are not allowed"); return 1; }
        var path = FakeKubeconfig.PathFor(call, line.Get("--kubeconfig"));
        lock (toolbox.State)
        {
            var config = FakeKubeconfig.Load(path);
            if (FakeKubeconfig.Entry(config, "contexts", context) is null)
            {
                call.ErrLine($"error: no context exists with the name: \"{context}\"");
                return 1;
            }
            config["current-context"] = context;
            FakeKubeconfig.Save(path, config);
        }
        call.OutLine($"Switched to context \"{context}\".");
        return 0;
    }

    /// <summary>
    /// kubectl v1.35.2 pkg/cmd/config/unset.go for the one property the lab unsets: current-context becomes empty and
    /// "Property %q unset." goes to stdout. A kubeconfig that does not exist stays absent (clientcmd.ModifyConfig writes
    /// nothing when nothing changed; checked with the real kubectl v1.35.2).
    /// </summary>
    private int UnsetCurrentContext(FakeCall call, CommandLine line)
    {
        var path = FakeKubeconfig.PathFor(call, line.Get("--kubeconfig"));
        lock (toolbox.State)
        {
            if (File.Exists(path))
            {
                var config = FakeKubeconfig.Load(path);
                config["current-context"] = "";
                FakeKubeconfig.Save(path, config);
            }
        }
        call.OutLine("Property \"current-context\" unset.");
        return 0;
    }

    /// <summary>Server-side apply (the only apply the lab runs): one apply PATCH per object, under --field-manager.</summary>
    private int Apply(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns)
    {
        if (!line.Has("--server-side")) return toolbox.NotImplemented(call);
        if (line.All("-f", "--filename").Count == 0) { call.ErrLine("error: must specify one of -f and -k"); return 1; }
        if (!TryLoad(call, line, out var objects)) return 1;
        var manager = line.Get("--field-manager") ?? "kubectl";
        var failed = false;
        foreach (var (source, obj) in objects)
        {
            if (Locate(call, api, source, obj, ns, line.Get("-n", "--namespace")) is not var (type, objectNs, name)) { failed = true; continue; }
            var result = api.Send("PATCH", $"{type.ObjectPath(objectNs, name)}?fieldManager={Uri.EscapeDataString(manager)}",
                JsonYaml.ToJson(obj), ObjectPatches.ApplyPatch, "kubectl");
            if (!result.IsSuccess) { call.ErrLine($"Error from server ({result.Reason}): error when creating \"{source}\": {result.Message}"); failed = true; continue; }
            call.OutLine($"{type.KubectlName}/{name} serverside-applied");
        }
        return failed ? 1 : 0;
    }

    /// <summary>`delete TYPE NAME...` / `delete TYPE/NAME...` in the namespace of -n or the context.</summary>
    private int Delete(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns)
    {
        if (line.Positionals.Count == 0 || line.All("-f", "--filename", "-k", "--kustomize").Count > 0 || line.Has("--all", "-A", "--all-namespaces")
            || line.Get("-l", "--selector") is not null)
            return toolbox.NotImplemented(call);
        if (!TryTargets(call, [.. line.Positionals], api, out var targets)) return 1;
        if (targets.Any(t => t.Name is null)) { call.ErrLine("error: resource(s) were provided, but no name was specified"); return 1; }
        var failed = false;
        foreach (var (type, name) in targets)
        {
            var result = api.Send("DELETE", type.ObjectPath(type.Namespaced ? ns : null, name!), source: "kubectl");
            if (result.IsSuccess) call.OutLine($"{type.KubectlName} \"{name}\" deleted");
            else if (!(line.Has("--ignore-not-found") && result.StatusCode == 404))
            {
                call.ErrLine($"Error from server ({result.Reason}): {result.Message}");
                failed = true;
            }
        }
        return failed ? 1 : 0;
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

    /// <summary>"TYPE", "TYPE NAME...", "TYPE/NAME..." and "TYPE1,TYPE2" as kubectl reads them.</summary>
    private static bool TryTargets(FakeCall call, List<string> words, FakeKubernetesApi api, out List<(ResourceType Type, string? Name)> targets)
    {
        targets = [];
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
