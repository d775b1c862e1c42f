using System.Globalization;
using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake `helm` (v4 outputs): version, repo add/update/list, upgrade --install, install, list, status,
/// get values, history, rollback, uninstall. Releases live in the fake cluster as helm's own release Secrets and the
/// chart's objects (see <see cref="FakeCharts"/>) are applied there. An install or upgrade writes a
/// pending-install/pending-upgrade revision first and spends its latency before deploying: a helm killed
/// there leaves the release locked ("another operation ... is in progress"), as a real one does.
/// </summary>
internal sealed class HelmCli(FakeToolbox toolbox)
{
    private readonly Dictionary<string, string> _repositories = [];

    public async Task<int> RunAsync(FakeCall call)
    {
        CommandLine line;
        try { line = CommandLine.Parse(call.Args, HelmFlags.For(call.Args)); }
        catch (ArgumentException e) { call.ErrLine($"Error: {e.Message}"); return 1; }
        var words = line.Positionals;
        switch (words)
        {
            case ["version"]: return Version(call, line);
            case ["repo", "add", var repoName, var url]: return RepoAdd(call, repoName, url);
            case ["repo", "update", ..]: return RepoUpdate(call);
            case ["repo", "list" or "ls"]: return RepoList(call, line);
        }
        var context = KubeContext.Resolve(toolbox, call, line.Get("--kubeconfig"), line.Get("--kube-context"), out var error);
        if (context is null)
        {
            call.ErrLine(error.StartsWith("error: context", StringComparison.Ordinal)
                ? $"Error: Kubernetes cluster unreachable: {error["error: ".Length..]}"
                : $"Error: Kubernetes cluster unreachable: Get \"{Server(call, line)}/version\": dial tcp {KubeContext.HostPort(Server(call, line))}: connect: connection refused");
            return 1;
        }
        var api = context.Api!;
        var ns = line.Get("-n", "--namespace") ?? context.Namespace ?? "default";
        return words switch
        {
            ["upgrade", var release, var chart] => await UpgradeAsync(call, line, api, ns, release, chart, installIfMissing: line.Has("--install", "-i")),
            ["install", var release, var chart] => await InstallAsync(call, line, api, ns, release, chart, prefix: "INSTALLATION FAILED: ", announce: false),
            ["list" or "ls"] => List(call, line, api, ns),
            ["status", var release] => Status(call, line, api, ns, release),
            ["get", "values", var release] => GetValues(call, line, api, ns, release),
            ["history" or "hist", var release] => History(call, line, api, ns, release),
            ["uninstall" or "delete" or "del" or "un", var release] => Uninstall(call, line, api, ns, release),
            ["rollback", var release] => await RollbackAsync(call, line, api, ns, release, null),
            ["rollback", var release, var revision] => await RollbackAsync(call, line, api, ns, release, revision),
            _ => toolbox.NotImplemented(call),
        };
    }

    private static string Server(FakeCall call, CommandLine line)
    {
        var config = FakeKubeconfig.Load(FakeKubeconfig.PathFor(call, line.Get("--kubeconfig")));
        var name = line.Get("--kube-context") ?? (string?)config["current-context"] ?? "";
        var cluster = (string?)FakeKubeconfig.Entry(config, "contexts", name)?["context"]?["cluster"] ?? "";
        return (string?)FakeKubeconfig.Entry(config, "clusters", cluster)?["cluster"]?["server"] ?? "http://localhost:8080";
    }

    private int Version(FakeCall call, CommandLine line)
    {
        var version = toolbox.Versions.Tool("helm").Version;
        var info = new JsonObject
        {
            ["Version"] = version, ["GitCommit"] = "05fa37973dc9e42b76e1d2883494c87174b6074f", ["GitTreeState"] = "clean",
            ["GoVersion"] = "go1.25.9", ["KubeClientVersion"] = "v1.35",
        };
        if (line.Get("--template") is { } template) { call.Out(GoTemplate.Render(template, info)); return 0; }
        if (line.Has("--short")) { call.OutLine($"{version}+g05fa379"); return 0; }
        call.OutLine($"version.BuildInfo{{Version:\"{version}\", GitCommit:\"{info["GitCommit"]}\", GitTreeState:\"clean\", GoVersion:\"go1.25.9\", KubeClientVersion:\"v1.35\"}}");
        return 0;
    }

    private int RepoAdd(FakeCall call, string name, string url)
    {
        lock (_repositories)
        {
            if (_repositories.TryGetValue(name, out var existing))
            {
                if (existing == url) { call.OutLine($"\"{name}\" already exists with the same configuration, skipping"); return 0; }
                call.ErrLine($"Error: repository name ({name}) already exists, please specify a different name");
                return 1;
            }
            _repositories[name] = url;
        }
        call.OutLine($"\"{name}\" has been added to your repositories");
        return 0;
    }

    private int RepoUpdate(FakeCall call)
    {
        List<string> names;
        lock (_repositories) names = [.. _repositories.Keys.Order(StringComparer.Ordinal)];
        if (names.Count == 0) { call.ErrLine("Error: no repositories found. You must add one before updating"); return 1; }
        call.OutLine("Hang tight while we grab the latest from your chart repositories...");
        foreach (var name in names) call.OutLine($"...Successfully got an update from the \"{name}\" chart repository");
        call.OutLine("Update Complete. ⎈Happy Helming!⎈");
        return 0;
    }

    private int RepoList(FakeCall call, CommandLine line)
    {
        List<KeyValuePair<string, string>> repos;
        lock (_repositories) repos = [.. _repositories.OrderBy(r => r.Key, StringComparer.Ordinal)];
        if (repos.Count == 0) { call.ErrLine("Error: no repositories to show"); return 1; }
        if (line.Get("-o", "--output") == "json")
        {
            call.OutLine(JsonYaml.ToJson(new JsonArray([.. repos.Select(r => (JsonNode)new JsonObject { ["name"] = r.Key, ["url"] = r.Value })])));
            return 0;
        }
        call.OutLine("NAME\tURL");
        foreach (var (name, url) in repos) call.OutLine($"{name}\t{url}");
        return 0;
    }

    /// <summary>Chart name, version, app version and repository of a chart reference, or the error helm prints.</summary>
    private (string Chart, string Version, string? AppVersion, string? Repo)? LocateChart(FakeCall call, CommandLine line, string reference, string prefix)
    {
        var repo = line.Get("--repo");
        var version = line.Get("--version");
        var local = call.ResolvePath(reference);
        if (repo is null && Directory.Exists(local) && File.Exists(Path.Combine(local, "Chart.yaml")))
        {
            var chartYaml = JsonYaml.Parse(File.ReadAllText(Path.Combine(local, "Chart.yaml")));
            return ((string?)chartYaml?["name"] ?? reference, (string?)chartYaml?["version"] ?? "0.0.0", chartYaml?["appVersion"].AsText(), null);
        }
        var chart = reference;
        if (repo is null && reference.StartsWith("oci://", StringComparison.Ordinal))
            return LocateOciChart(call, reference, version);
        if (repo is null && reference.Contains('/'))
        {
            var repoName = reference[..reference.IndexOf('/')];
            lock (_repositories)
            {
                if (!_repositories.TryGetValue(repoName, out repo))
                {
                    call.ErrLine($"Error: {prefix}repo {repoName} not found");
                    return null;
                }
            }
            chart = reference[(reference.IndexOf('/') + 1)..];
        }
        if (repo is null)
        {
            call.ErrLine($"Error: {prefix}non-absolute URLs should be in form of repo_name/path_to_chart, got: {reference}");
            return null;
        }
        if (!toolbox.OnlyPinnedCharts) return (chart, version ?? "0.1.0", null, repo);
        var pinned = toolbox.Versions.Charts.Values.FirstOrDefault(c => c.Chart == chart && SameRepo(c.Repo, repo)
            && (version is null || version == c.Version))
            ?? toolbox.Charts.Published(repo!, chart, version);
        if (pinned is null)
        {
            call.ErrLine(version is null
                ? $"Error: {prefix}chart \"{chart}\" not found in {repo} repository"
                : $"Error: {prefix}chart \"{chart}\" version \"{version}\" not found in {repo} repository");
            return null;
        }
        return (chart, pinned.Version, null, repo);
    }

    /// <summary>
    /// An <c>oci://REGISTRY/PATH/CHART</c> reference (no <c>--repo</c>): with an exact version helm pulls
    /// <c>REGISTRY/PATH/CHART:VERSION</c> without listing tags (helm v4.1.4 pkg/registry/client.go ValidateReference),
    /// and a missing manifest fails oras.Copy's first request: <c>failed to perform "FetchReference" on source: REF: not found</c>
    /// (oras-go v2.6.0 copy.go resolveRoot, copyerror.go CopyError.Error, registry/remote/repository.go FetchReference).
    /// </summary>
    private (string Chart, string Version, string? AppVersion, string? Repo)? LocateOciChart(FakeCall call, string reference, string? version)
    {
        var path = reference["oci://".Length..];
        var repo = "oci://" + path[..Math.Max(0, path.LastIndexOf('/'))];
        var chart = path[(path.LastIndexOf('/') + 1)..];
        if (!toolbox.OnlyPinnedCharts) return (chart, version ?? "0.1.0", null, repo);
        var found = toolbox.Charts.Published(repo, chart, version)
            ?? toolbox.Versions.Charts.Values.FirstOrDefault(c => c.Chart == chart && SameRepo(c.Repo, repo) && (version is null || version == c.Version));
        if (found is null)
        {
            // The lab always passes --version; without one helm would list the tags first (not transcribed here).
            call.ErrLine($"Error: failed to perform \"FetchReference\" on source: {path}:{version}: not found");
            return null;
        }
        return (chart, found.Version, null, repo);
    }

    private static bool SameRepo(string pinned, string? used) =>
        used is not null && string.Equals(pinned.TrimEnd('/'), used.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private async Task<int> UpgradeAsync(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns, string release, string chartReference, bool installIfMissing)
    {
        var history = HelmReleaseStore.Revisions(api, ns, release);
        if (history.Count == 0)
        {
            if (!installIfMissing) { call.ErrLine($"Error: UPGRADE FAILED: \"{release}\" has no deployed releases"); return 1; }
            return await InstallAsync(call, line, api, ns, release, chartReference, prefix: "", announce: true);
        }
        if (LocateChart(call, line, chartReference, "") is not var (chart, version, appVersion, repo)) return 1;
        var latest = history[^1];
        var status = (string?)latest["info"]?["status"] ?? "";
        if (status.StartsWith("pending-", StringComparison.Ordinal))
        {
            call.ErrLine(FakeToolErrors.HelmAnotherOperationInProgress);
            return 1;
        }
        var deployed = history.LastOrDefault(r => (string?)r["info"]?["status"] == "deployed");
        var reuse = line.Has("--reuse-values") && !line.Has("--reset-values") ? latest["config"] as JsonObject : null;
        var (values, sha) = HelmValues.Merge(call, line, reuse);
        var revision = (latest["version"].AsLong() ?? 0) + 1;
        var next = Release(release, ns, revision, "pending-upgrade", "Preparing upgrade", chart, version, appVersion, repo, values, sha,
            (string?)latest["info"]?["first_deployed"]);
        HelmReleaseStore.Save(api, next);
        await call.PauseAsync();
        var (manifest, failure) = Deploy(api, next);
        if (deployed is not null)
        {
            deployed["info"]!["status"] = "superseded";
            HelmReleaseStore.Save(api, deployed);
            RemoveDropped(api, (string?)deployed["manifest"] ?? "", manifest);
        }
        next["manifest"] = manifest;
        if (failure is null && line.Has("--wait")) failure = await HelmWait.WaitAsync(call, api, manifest, line.Get("--timeout"));
        Finish(next, failure, "Upgrade complete");
        HelmReleaseStore.Save(api, next);
        PruneHistory(api, ns, release, line);
        if (failure is not null) { call.ErrLine($"Error: UPGRADE FAILED: {failure}"); return 1; }
        if (Output(line) == "table") call.OutLine($"Release \"{release}\" has been upgraded. Happy Helming!");
        PrintStatus(call, line, next);
        return 0;
    }

    /// <summary>
    /// `helm rollback REL [REVISION]`: a new revision with the chart and values of REVISION (default: the one before
    /// the latest); the latest becomes superseded. This is how a release left pending-upgrade is unlocked.
    /// </summary>
    private async Task<int> RollbackAsync(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns, string release, string? revisionText)
    {
        var history = HelmReleaseStore.Revisions(api, ns, release);
        if (history.Count == 0) { call.ErrLine("Error: release: not found"); return 1; }
        var latest = history[^1];
        var latestRevision = latest["version"].AsLong() ?? 0;
        var wanted = revisionText is null || revisionText == "0" ? latestRevision - 1
            : long.TryParse(revisionText, CultureInfo.InvariantCulture, out var r) ? r : -1;
        var target = history.FirstOrDefault(h => h["version"].AsLong() == wanted);
        if (target is null) { call.ErrLine($"Error: release has no {wanted} version"); return 1; }
        var next = (JsonObject)target.DeepClone();
        next["version"] = latestRevision + 1;
        next["info"]!["status"] = "pending-rollback";
        next["info"]!["description"] = $"Rollback to {wanted}";
        HelmReleaseStore.Save(api, next);
        await call.PauseAsync();
        var (manifest, failure) = Deploy(api, next);
        foreach (var old in history.Where(h => (string?)h["info"]?["status"] is "deployed" or "pending-upgrade" or "pending-install" or "pending-rollback"))
        {
            old["info"]!["status"] = "superseded";
            HelmReleaseStore.Save(api, old);
        }
        next["manifest"] = manifest;
        Finish(next, failure, $"Rollback to {wanted}");
        HelmReleaseStore.Save(api, next);
        if (failure is not null) { call.ErrLine($"Error: {failure}"); return 1; }
        call.OutLine("Rollback was a success! Happy Helming!");
        return 0;
    }

    private async Task<int> InstallAsync(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns, string release, string chartReference, string prefix, bool announce)
    {
        if (announce && Output(line) == "table") call.OutLine($"Release \"{release}\" does not exist. Installing it now.");
        if (LocateChart(call, line, chartReference, prefix) is not var (chart, version, appVersion, repo)) return 1;
        if (prefix.Length > 0 && HelmReleaseStore.Revisions(api, ns, release).Count > 0)
        {
            call.ErrLine($"Error: {prefix}cannot re-use a name that is still in use");
            return 1;
        }
        if (api.Get("v1", "Namespace", null, ns) is null)
        {
            if (!line.Has("--create-namespace"))
            {
                call.ErrLine($"Error: {prefix}create: failed to create: namespaces \"{ns}\" not found");
                return 1;
            }
            var nsObject = new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["name"] = ns } },
            };
            api.Send("POST", ResourceTypes.Namespace.CollectionPath(null), JsonYaml.ToJson(nsObject), "application/json", "helm");
        }
        var (values, sha) = HelmValues.Merge(call, line, null);
        var pending = Release(release, ns, 1, "pending-install", "Initial install underway", chart, version, appVersion, repo, values, sha, null);
        HelmReleaseStore.Save(api, pending);
        await call.PauseAsync();
        var (manifest, failure) = Deploy(api, pending);
        pending["manifest"] = manifest;
        if (failure is null && line.Has("--wait")) failure = await HelmWait.WaitAsync(call, api, manifest, line.Get("--timeout"));
        Finish(pending, failure, "Install complete");
        HelmReleaseStore.Save(api, pending);
        if (failure is not null) { call.ErrLine($"Error: {prefix}{failure}"); return 1; }
        PrintStatus(call, line, pending);
        return 0;
    }

    private static void Finish(JsonObject release, string? failure, string description)
    {
        release["info"]!["status"] = failure is null ? "deployed" : "failed";
        release["info"]!["description"] = failure is null ? description : $"Release \"{release["name"]}\" failed: {failure}";
        release["info"]!["last_deployed"] = Now();
    }

    /// <summary>Applies the chart's CRDs (only those missing) and objects; returns the manifest and any failure.</summary>
    private (string Manifest, string? Failure) Deploy(FakeKubernetesApi api, JsonObject release)
    {
        var context = new FakeChartContext((string)release["name"]!, (string)release["namespace"]!,
            (string)release["chart"]!["metadata"]!["name"]!, (string)release["chart"]!["metadata"]!["version"]!, release["config"]);
        var (crds, objects, _) = toolbox.Charts.Render(context);
        foreach (var crd in crds)
        {
            var name = (string)crd["metadata"]!["name"]!;
            if (api.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, name) is null)
                api.Send("POST", ResourceTypes.CustomResourceDefinition.CollectionPath(null), JsonYaml.ToJson(crd), "application/json", "helm");
        }
        var manifest = new System.Text.StringBuilder();
        foreach (var obj in objects)
        {
            var type = api.FindType((string)obj["apiVersion"]!, (string)obj["kind"]!);
            if (type is null) return (manifest.ToString(), $"resource mapping not found for name: \"{obj["metadata"]?["name"]}\": no matches for kind \"{obj["kind"]}\" in version \"{obj["apiVersion"]}\"");
            var objNs = type.Namespaced ? (string?)obj["metadata"]?["namespace"] ?? context.Namespace : null;
            var name = (string)obj["metadata"]!["name"]!;
            var result = api.Send("PATCH", $"{type.ObjectPath(objNs, name)}?fieldManager=helm&force=true", JsonYaml.ToJson(obj), ObjectPatches.ApplyPatch, "helm");
            if (!result.IsSuccess) return (manifest.ToString(), $"failed to create resource: {result.Message}");
            manifest.Append("---\n# Source: ").Append(context.Chart).Append("/templates/").Append(type.Singular).Append(".yaml\n").Append(JsonYaml.ToYaml(obj));
        }
        return (manifest.ToString(), null);
    }

    private static void RemoveDropped(FakeKubernetesApi api, string oldManifest, string newManifest)
    {
        var kept = ManifestObjects(newManifest).Select(Identity).ToHashSet();
        foreach (var obj in ManifestObjects(oldManifest).Where(o => !kept.Contains(Identity(o)))) DeleteObject(api, obj);
    }

    private static IEnumerable<JsonObject> ManifestObjects(string manifest) =>
        manifest.Length == 0 ? [] : JsonYaml.ParseDocuments(manifest).OfType<JsonObject>();

    private static string Identity(JsonObject obj) => $"{obj["apiVersion"]}/{obj["kind"]}/{obj["metadata"]?["namespace"]}/{obj["metadata"]?["name"]}";

    private static void DeleteObject(FakeKubernetesApi api, JsonObject obj)
    {
        var type = api.FindType((string?)obj["apiVersion"] ?? "", (string?)obj["kind"] ?? "");
        if (type is null) return;
        api.Send("DELETE", type.ObjectPath(type.Namespaced ? (string?)obj["metadata"]?["namespace"] : null, (string?)obj["metadata"]?["name"] ?? ""), source: "helm");
    }

    private static void PruneHistory(FakeKubernetesApi api, string ns, string release, CommandLine line)
    {
        var max = int.TryParse(line.Get("--history-max"), CultureInfo.InvariantCulture, out var m) ? m : 10;
        if (max <= 0) return;
        var history = HelmReleaseStore.Revisions(api, ns, release);
        foreach (var old in history.Take(Math.Max(0, history.Count - max)))
            HelmReleaseStore.DeleteRevision(api, ns, release, old["version"].AsLong() ?? 0);
    }

    private static JsonObject Release(string name, string ns, long revision, string status, string description, string chart, string version,
        string? appVersion, string? repo, JsonObject values, string valuesSha256, string? firstDeployed) => new()
    {
        ["name"] = name,
        ["info"] = new JsonObject
        {
            ["first_deployed"] = firstDeployed ?? Now(), ["last_deployed"] = Now(), ["deleted"] = "",
            ["description"] = description, ["status"] = status,
        },
        ["chart"] = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = chart, ["version"] = version, ["appVersion"] = appVersion ?? DefaultAppVersion(chart, version), ["apiVersion"] = "v2" },
        },
        ["config"] = values.Count == 0 ? null : values,
        ["manifest"] = "",
        ["version"] = revision,
        ["namespace"] = ns,
        ["lgtmlab"] = new JsonObject { ["repo"] = repo, ["valuesSha256"] = valuesSha256 },
    };

    private static string DefaultAppVersion(string chart, string version) => chart == "metallb" ? "v" + version : version;

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    private static string Output(CommandLine line) => line.Get("-o", "--output") ?? "table";

    private static JsonObject Printable(JsonObject release, bool withChart)
    {
        var copy = (JsonObject)release.DeepClone();
        copy.Remove("lgtmlab");
        if (!withChart) copy.Remove("chart");
        return copy;
    }

    private static void PrintStatus(FakeCall call, CommandLine line, JsonObject release, bool withChart = true)
    {
        switch (Output(line))
        {
            case "json": call.OutLine(JsonYaml.ToJson(Printable(release, withChart))); return;
            case "yaml": call.Out(JsonYaml.ToYaml(Printable(release, withChart))); return;
        }
        var deployed = DateTimeOffset.Parse((string)release["info"]!["last_deployed"]!, CultureInfo.InvariantCulture).ToLocalTime();
        call.OutLine($"NAME: {release["name"]}");
        call.OutLine($"LAST DEPLOYED: {deployed.ToString("ddd MMM", CultureInfo.InvariantCulture)} {deployed.Day,2} {deployed.ToString("HH:mm:ss yyyy", CultureInfo.InvariantCulture)}");
        call.OutLine($"NAMESPACE: {release["namespace"]}");
        call.OutLine($"STATUS: {release["info"]!["status"]}");
        call.OutLine($"REVISION: {release["version"]}");
        call.OutLine($"DESCRIPTION: {release["info"]!["description"]}");
        call.OutLine("TEST SUITE: None");
    }

    private static int List(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns)
    {
        // helm v4.1.4 pkg/action/list.go Run: the latest revision of each release (filterLatestReleases, skipped when
        // the mask is superseded only), then filterStateMask with the mask SetStateMask builds from the flags.
        var mask = StateMask(line);
        var revisions = HelmReleaseStore.Revisions(api, line.Has("-A", "--all-namespaces") ? null : ns, null);
        var latest = mask.SetEquals(["superseded"]) ? revisions
            : revisions.GroupBy(r => ((string?)r["namespace"], (string?)r["name"])).Select(g => g.Last());
        var releases = latest.Where(r => mask.Contains((string?)r["info"]?["status"] ?? ""))
            .OrderBy(r => (string?)r["name"], StringComparer.Ordinal).ToList();
        if (line.Get("--filter", "-f") is { } filter) releases = [.. releases.Where(r => System.Text.RegularExpressions.Regex.IsMatch((string?)r["name"] ?? "", filter))];
        if (line.Has("-q", "--short")) { foreach (var r in releases) call.OutLine((string?)r["name"] ?? ""); return 0; }
        // helm v4.1.4 pkg/cmd/list.go releaseElement/newReleaseListWriter: revision is strconv.Itoa, updated is
        // LastDeployed.String(); the JSON is compared with real helm's in HelmOutputsMatchRealHelmTests.
        var rows = releases.Select(r => new JsonObject
        {
            ["name"] = (string?)r["name"], ["namespace"] = (string?)r["namespace"],
            ["revision"] = (r["version"].AsLong() ?? 0).ToString(CultureInfo.InvariantCulture),
            ["updated"] = GoTime((string?)r["info"]?["last_deployed"]), ["status"] = (string?)r["info"]?["status"],
            ["chart"] = $"{r["chart"]?["metadata"]?["name"]}-{r["chart"]?["metadata"]?["version"]}",
            ["app_version"] = (string?)r["chart"]?["metadata"]?["appVersion"],
        }).ToList();
        switch (Output(line))
        {
            case "json": call.OutLine(JsonYaml.ToJson(new JsonArray([.. rows]))); return 0;
            case "yaml": call.Out(JsonYaml.ToYaml(new JsonArray([.. rows]))); return 0;
        }
        PrintTable(call, ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"],
            rows.Select(r => new[] { "name", "namespace", "revision", "updated", "status", "chart", "app_version" }.Select(k => (string?)r[k] ?? "").ToArray()));
        return 0;
    }

    /// <summary>
    /// The statuses `helm list` shows: helm v4.1.4 pkg/action/list.go SetStateMask. No state flag (there is no --all
    /// in v4, pkg/cmd/list.go) means ListAll: every status but "unknown", so pending and failed releases are listed.
    /// </summary>
    private static HashSet<string> StateMask(CommandLine line)
    {
        var mask = new HashSet<string>(StringComparer.Ordinal);
        if (line.Has("--deployed")) mask.Add("deployed");
        if (line.Has("--uninstalled")) mask.Add("uninstalled");
        if (line.Has("--uninstalling")) mask.Add("uninstalling");
        if (line.Has("--pending")) mask.UnionWith(["pending-install", "pending-rollback", "pending-upgrade"]);
        if (line.Has("--failed")) mask.Add("failed");
        if (line.Has("--superseded")) mask.Add("superseded");
        return mask.Count > 0 ? mask
            : ["deployed", "uninstalled", "uninstalling", "pending-install", "pending-rollback", "pending-upgrade", "superseded", "failed"];
    }

    /// <summary>helm's uitable layout: every cell padded to its column's width, columns separated by a tab.</summary>
    private static void PrintTable(FakeCall call, string[] header, IEnumerable<string[]> rows)
    {
        var all = new[] { header }.Concat(rows).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all) call.OutLine(string.Join('\t', row.Select((cell, i) => cell.PadRight(widths[i]))));
    }

    /// <summary>Go's time.Time.String(): "2026-05-01 10:00:00.1234567 +0000 UTC".</summary>
    private static string GoTime(string? iso)
    {
        var t = DateTimeOffset.Parse(iso ?? "2000-01-01T00:00:00Z", CultureInfo.InvariantCulture).ToUniversalTime();
        return t.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.') + " +0000 UTC";
    }

    private static int Status(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns, string name)
    {
        if (Find(call, line, api, ns, name) is not { } release) return 1;
        PrintStatus(call, line, release, withChart: false);
        return 0;
    }

    private static int GetValues(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns, string name)
    {
        if (Find(call, line, api, ns, name) is not { } release) return 1;
        var values = release["config"];
        switch (Output(line))
        {
            case "json": call.OutLine(JsonYaml.ToJson(values)); break;
            case "yaml": call.Out(JsonYaml.ToYaml(values)); break;
            default:
                call.OutLine("USER-SUPPLIED VALUES:");
                call.Out(JsonYaml.ToYaml(values));
                break;
        }
        return 0;
    }

    private static int History(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns, string name)
    {
        var history = HelmReleaseStore.Revisions(api, ns, name);
        if (history.Count == 0) { call.ErrLine("Error: release: not found"); return 1; }
        var rows = history.Select(r => new JsonObject
        {
            ["revision"] = r["version"].AsLong(), ["updated"] = (string?)r["info"]?["last_deployed"], ["status"] = (string?)r["info"]?["status"],
            ["chart"] = $"{r["chart"]?["metadata"]?["name"]}-{r["chart"]?["metadata"]?["version"]}",
            ["app_version"] = (string?)r["chart"]?["metadata"]?["appVersion"], ["description"] = (string?)r["info"]?["description"],
        }).ToList();
        if (Output(line) == "json") { call.OutLine(JsonYaml.ToJson(new JsonArray([.. rows]))); return 0; }
        PrintTable(call, ["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"],
            rows.Select(r => new[] { r["revision"].AsText() ?? "", GoTime((string?)r["updated"]), (string?)r["status"] ?? "", (string?)r["chart"] ?? "", (string?)r["app_version"] ?? "", (string?)r["description"] ?? "" }));
        return 0;
    }

    private static int Uninstall(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns, string name)
    {
        var history = HelmReleaseStore.Revisions(api, ns, name);
        if (history.Count == 0)
        {
            if (line.Has("--ignore-not-found")) { call.OutLine($"release \"{name}\" not found"); return 0; }
            call.ErrLine($"Error: uninstall: Release not loaded: {name}: release: not found");
            return 1;
        }
        foreach (var obj in ManifestObjects((string?)history[^1]["manifest"] ?? "")) DeleteObject(api, obj);
        foreach (var revision in history) HelmReleaseStore.DeleteRevision(api, ns, name, revision["version"].AsLong() ?? 0);
        call.OutLine($"release \"{name}\" uninstalled");
        return 0;
    }

    private static JsonObject? Find(FakeCall call, CommandLine line, FakeKubernetesApi api, string ns, string name)
    {
        var history = HelmReleaseStore.Revisions(api, ns, name);
        var wanted = int.TryParse(line.Get("--revision"), CultureInfo.InvariantCulture, out var r) ? history.FirstOrDefault(h => h["version"].AsLong() == r) : history.LastOrDefault();
        if (wanted is null) call.ErrLine("Error: release: not found");
        return wanted;
    }
}
