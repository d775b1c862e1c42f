using System.Text;
using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake `linkerd`: version, and the multicluster commands the lab runs (Linkerd itself is installed with Helm):
/// `multicluster link-gen` (the two credentials Secrets and the Link, built from the target cluster's state and
/// failing like the real one without a gateway address), `multicluster check` and `multicluster gateways`
/// (driven by the Links, credentials, gateways and trust anchors of the fake clusters). Outputs follow
/// linkerd2 edge-26.8.3 (multicluster/cmd/link-gen.go, check.go, gateways.go).
/// </summary>
internal sealed class LinkerdCli(FakeToolbox toolbox)
{
    private const string MulticlusterNamespace = "linkerd-multicluster";
    private const string RemoteAccess = "linkerd-service-mirror-remote-access-default";
    private const string LinkApi = "multicluster.linkerd.io/v1alpha3";

    // pkg/k8s/api.go GetNamespaceWithExtensionLabel: the NotFound error's message.
    private const string NoExtension = "namespace with label \"linkerd.io/extension: multicluster\" not found";

    public int Run(FakeCall call)
    {
        var parse = CobraParse.Resolve(LinkerdFlags.Root, call.Args);
        switch (parse.Outcome)
        {
            case CobraOutcome.NotTranscribed or CobraOutcome.Help:
                return toolbox.NotImplemented(call);
            case CobraOutcome.FindError when call.Args[0].StartsWith('-'):
                // cli/main.go: root.Find failed and the first word is a flag, so no plugin `linkerd-<word>` is tried.
                call.ErrLine("Cannot accept flags before Linkerd extension name");
                return 1;
            case CobraOutcome.FindError:
                // cli/main.go: no `linkerd-<word>` plugin on PATH, so root.Execute reports it (cobra command.go ExecuteC).
                call.ErrLine("Error: " + parse.Error);
                call.ErrLine("Run 'linkerd --help' for usage.");
                return 1;
            case CobraOutcome.Error:
                // The root does not silence errors: cobra prints "Error: <err>" (then the usage, not transcribed) and main exits 1.
                return Fail(call, parse.Error);
        }
        var line = parse.Line!;
        return parse.Words switch
        {
            ["version"] => Version(call, line),
            ["multicluster", "link-gen"] => WithCluster(call, line, cluster => LinkGen(call, line, cluster)),
            ["multicluster", "check"] => WithCluster(call, line, cluster => Check(call, cluster)),
            ["multicluster", "gateways"] => WithCluster(call, line, cluster => Gateways(call, line, cluster)),
            _ => toolbox.NotImplemented(call),
        };
    }

    private int Version(FakeCall call, CommandLine line)
    {
        var version = toolbox.Versions.Tool("linkerd").Version;
        if (line.Has("--short") && line.Has("--client")) { call.OutLine(version); return 0; }
        call.OutLine(line.Has("--short") ? version : $"Client version: {version}");
        if (!line.Has("--client")) call.OutLine(line.Has("--short") ? "unavailable" : "Server version: unavailable");
        return 0;
    }

    private int WithCluster(FakeCall call, CommandLine line, Func<(FakeCluster Cluster, KubeContext Context), int> run)
    {
        var context = KubeContext.Resolve(toolbox, call, line.Get("--kubeconfig"), line.Get("--context"), out var error);
        if (context is null) { call.ErrLine(error.Replace("error: ", "Error: ", StringComparison.Ordinal)); return 1; }
        return run((toolbox.Clusters.First(c => c.Api == context.Api), context));
    }

    private static int Fail(FakeCall call, string message)
    {
        call.ErrLine("Error: " + message);
        return 1;
    }

    private int LinkGen(FakeCall call, CommandLine line, (FakeCluster Cluster, KubeContext Context) target)
    {
        var name = line.Get("--cluster-name") ?? "";
        if (name.Length == 0) return Fail(call, "you need to specify cluster name");
        var api = target.Cluster.Api!;
        if (!target.Cluster.Releases.Any(r => r.Name == "linkerd-control-plane" && r.Status == "deployed"))
            return Fail(call, "you need Linkerd to be installed on a cluster in order to get its credentials");
        if (api.Get("v1", "ServiceAccount", MulticlusterNamespace, RemoteAccess) is null)
            return Fail(call, $"serviceaccounts \"{RemoteAccess}\" not found");
        if (TokenOf(api) is not { } token) return Fail(call, $"could not find service account token secret for {RemoteAccess}");
        var gateway = api.Get("v1", "Service", MulticlusterNamespace, "linkerd-gateway");
        if (gateway is null) return Fail(call, "services \"linkerd-gateway\" not found");
        var addresses = (gateway["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? [])
            .Select(i => (string?)i?["ip"] ?? (string?)i?["hostname"]).Where(a => !string.IsNullOrEmpty(a)).ToList();
        if (addresses.Count == 0) return Fail(call, $"gateway linkerd-gateway.{MulticlusterNamespace} has no ingress addresses");

        var kubeconfig = Kubeconfig(target.Context, line.Get("--api-server-address"), token);
        var link = new JsonObject
        {
            ["apiVersion"] = LinkApi, ["kind"] = "Link",
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { ["linkerd.io/created-by"] = "linkerd/cli " + toolbox.Versions.Tool("linkerd").Version },
                ["name"] = name, ["namespace"] = MulticlusterNamespace,
            },
            ["spec"] = new JsonObject
            {
                ["clusterCredentialsSecret"] = $"cluster-credentials-{name}",
                ["federatedServiceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["mirror.linkerd.io/federated"] = "member" } },
                ["gatewayAddress"] = string.Join(',', addresses),
                ["gatewayIdentity"] = (string?)gateway["metadata"]?["annotations"]?["mirror.linkerd.io/gateway-identity"],
                ["gatewayPort"] = "4143",
                ["probeSpec"] = new JsonObject { ["path"] = "/ready", ["period"] = "3s", ["port"] = "4191" },
                ["remoteDiscoverySelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["mirror.linkerd.io/exported"] = "remote-discovery" } },
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["mirror.linkerd.io/exported"] = "true" } },
                ["targetClusterDomain"] = "cluster.local",
                ["targetClusterLinkerdNamespace"] = "linkerd",
                ["targetClusterName"] = name,
            },
        };
        call.Out(JsonYaml.ToYaml(Credentials(name, MulticlusterNamespace, kubeconfig, null)) + "---\n");
        call.Out(JsonYaml.ToYaml(Credentials(name, "linkerd", kubeconfig, name)) + "---\n");
        call.Out(JsonYaml.ToYaml(link) + "---\n");
        return 0;
    }

    /// <summary>The target's kubeconfig entry with the service account's token, the server replaced by --api-server-address.</summary>
    private static string Kubeconfig(KubeContext context, string? apiServer, string token)
    {
        var config = FakeKubeconfig.Load(context.KubeconfigPath);
        var entry = FakeKubeconfig.Entry(config, "contexts", context.ContextName)!;
        var clusterName = (string?)entry["context"]?["cluster"] ?? "";
        var cluster = FakeKubeconfig.Entry(config, "clusters", clusterName)!.DeepClone();
        if (apiServer is { Length: > 0 }) cluster["cluster"]!["server"] = apiServer;
        var result = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Config",
            ["clusters"] = new JsonArray(cluster),
            ["contexts"] = new JsonArray(new JsonObject
            {
                ["name"] = context.ContextName,
                ["context"] = new JsonObject { ["cluster"] = clusterName, ["user"] = RemoteAccess },
            }),
            ["current-context"] = context.ContextName,
            ["preferences"] = new JsonObject(),
            ["users"] = new JsonArray(new JsonObject { ["name"] = RemoteAccess, ["user"] = new JsonObject { ["token"] = token } }),
        };
        return JsonYaml.ToYaml(result);
    }

    private static JsonObject Credentials(string name, string ns, string kubeconfig, string? destination)
    {
        var metadata = new JsonObject { ["name"] = $"cluster-credentials-{name}", ["namespace"] = ns };
        if (destination is not null)
        {
            metadata["annotations"] = new JsonObject
            {
                ["multicluster.linkerd.io/cluster-domain"] = "cluster.local",
                ["multicluster.linkerd.io/trust-domain"] = "cluster.local",
            };
            metadata["labels"] = new JsonObject { ["multicluster.linkerd.io/cluster-name"] = destination };
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = metadata,
            ["data"] = new JsonObject { ["kubeconfig"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig)) },
            ["type"] = "mirror.linkerd.io/remote-kubeconfig",
        };
    }

    private int Check(FakeCall call, (FakeCluster Cluster, KubeContext Context) local)
    {
        var api = local.Cluster.Api!;
        if (api.Get("v1", "Namespace", null, MulticlusterNamespace) is null)
        {
            // multicluster/cmd/check.go: GetNamespaceWithExtensionLabel's error and the hint, on stderr, exit 1.
            call.ErrLine($"{NoExtension}; install by running `linkerd multicluster install | kubectl apply -f -`");
            return 1;
        }
        var links = LinksOf(api, null);
        var names = links.Select(l => $"\t* {l.Name}").ToList();
        var output = new List<string> { "linkerd-multicluster", "--------------------" };
        var failed = false;

        void Report(string check, IReadOnlyList<string> problems, string anchor, IReadOnlyList<string>? details = null)
        {
            if (problems.Count == 0)
            {
                output.Add($"√ {check}");
                output.AddRange(details ?? names);
                return;
            }
            failed = true;
            output.Add($"× {check}");
            output.AddRange(problems.Select(p => "    " + p));
            output.Add($"    see https://linkerd.io/2/checks/#{anchor} for hints");
        }

        if (api.FindType(LinkApi, "Link") is null)
        {
            Report("Link CRD exists", ["multicluster.linkerd.io/Link CRD is missing: the server could not find the requested resource"], "l5d-multicluster-link-crd-exists");
            return Finish(call, output, failed: true);
        }
        output.Add("√ Link CRD exists");
        Report("Link resources are valid", [], "l5d-multicluster-links-are-valid");
        Report("remote cluster access credentials are valid", [.. links.Select(l => CredentialsProblem(api, l)).OfType<string>()], "l5d-smc-target-clusters-access");
        Report("clusters share trust anchors", [.. links.Where(l => !SharesAnchors(local.Cluster, l)).Select(l => $"* {l.Name}")], "l5d-multicluster-clusters-share-anchors");
        Report("service mirror controller has required permissions", [], "l5d-multicluster-source-rbac-correct");
        Report("service mirror controllers are running",
            [.. links.Where(l => api.Get("apps/v1", "Deployment", MulticlusterNamespace, $"controller-{l.Name}") is null)
                .Select(l => $"* controller-{l.Name} (the multicluster chart's controllers: value has no entry for this Link)")],
            "l5d-multicluster-service-mirror-running");
        Report("all gateway mirrors are healthy",
            [.. links.Where(l => !GatewayAlive(l)).Select(l => $"* probe-gateway-{l.Name}.{MulticlusterNamespace} mirrored from cluster [{l.Name}] has no endpoints")],
            "l5d-multicluster-gateways-endpoints");
        Report("all mirror services have endpoints", [], "l5d-multicluster-services-endpoints", []);
        Report("all mirror services are part of a Link", [], "l5d-multicluster-orphaned-services", []);
        Report("multicluster extension proxies are healthy", [], "l5d-multicluster-proxy-healthy", []);
        Report("multicluster extension proxies are up-to-date", [], "l5d-multicluster-proxy-cp-version", []);
        Report("multicluster extension proxies and cli versions match", [], "l5d-multicluster-proxy-cli-version", []);
        return Finish(call, output, failed);
    }

    private static int Finish(FakeCall call, List<string> output, bool failed)
    {
        output.Add("");
        output.Add($"Status check results are {(failed ? "×" : "√")}");
        foreach (var l in output) call.OutLine(l);
        return failed ? 1 : 0;
    }

    /// <summary>
    /// linkerd2 edge-26.8.3 multicluster/cmd/gateways.go: one row per Link whose controller runs (the real command reads
    /// each controller pod's gateway_alive / gateway_latency metrics), NUM_SVC the local mirror services of that
    /// cluster, LATENCY the last probe's latency as "%dms" ("-" when not alive), rendered by cli/table/table.go.
    /// </summary>
    private int Gateways(FakeCall call, CommandLine line, (FakeCluster Cluster, KubeContext Context) local)
    {
        var api = local.Cluster.Api!;
        if (api.Get("v1", "Namespace", null, MulticlusterNamespace) is null)
            return Fail(call, $"make sure the linkerd-multicluster extension is installed, using 'linkerd multicluster install' ({NoExtension})");
        if (line.Get("--output", "-o") is { Length: > 0 } output && output != "table") return toolbox.NotImplemented(call);
        var rows = LinksOf(api, line.Get("--cluster-name"))
            .Where(link => api.Get("apps/v1", "Deployment", MulticlusterNamespace, $"controller-{link.Name}") is not null)
            .Select(link =>
            {
                var alive = GatewayAlive(link);
                var mirrored = api.List("v1", "Service").Count(s =>
                    (string?)s["metadata"]?["labels"]?["mirror.linkerd.io/mirrored-service"] == "true"
                    && (string?)s["metadata"]?["labels"]?["mirror.linkerd.io/cluster-name"] == link.Name);
                return new[] { link.Name, alive ? "True" : "False", $"{mirrored}", alive ? $"{FakeGatewayLatencyMs}ms" : "-" };
            })
            .OrderBy(r => r[0], StringComparer.Ordinal)
            .ToList();
        foreach (var row in rows.Prepend(["CLUSTER", "ALIVE", "NUM_SVC", "LATENCY"])) call.OutLine(GatewayRow(row, rows));
        return 0;
    }

    /// <summary>The probe latency the fake reports for an alive gateway (the gateway_latency gauge, whole milliseconds).</summary>
    public const int FakeGatewayLatencyMs = 2;

    /// <summary>
    /// cli/table/table.go Render with gateways.go's columns: CLUSTER (width 7) and ALIVE (5) flexible and left-aligned,
    /// NUM_SVC (9) and LATENCY (11) fixed and right-aligned (longer values cut), each cell followed by two spaces.
    /// </summary>
    private static string GatewayRow(string[] row, IReadOnlyList<string[]> data)
    {
        int[] minimum = [7, 5, 9, 11];
        var text = new StringBuilder();
        for (var c = 0; c < row.Length; c++)
        {
            var width = c < 2 ? data.Select(r => r[c].Length).Append(minimum[c]).Max() : minimum[c];
            var value = row[c].Length > width ? row[c][..width] : row[c];
            text.Append(c < 2 ? value.PadRight(width) : value.PadLeft(width)).Append("  ");
        }
        return text.ToString();
    }

    private sealed record FakeLink(string Name, JsonObject Object)
    {
        public string? GatewayAddress => (string?)Object["spec"]?["gatewayAddress"];
        public string? CredentialsSecret => (string?)Object["spec"]?["clusterCredentialsSecret"];
    }

    private static List<FakeLink> LinksOf(FakeKubernetesApi api, string? only) =>
        api.FindType(LinkApi, "Link") is null ? [] :
        [.. api.List(LinkApi, "Link", MulticlusterNamespace)
            .Select(l => new FakeLink((string?)l["spec"]?["targetClusterName"] ?? (string?)l["metadata"]?["name"] ?? "", l))
            .Where(l => only is null || l.Name == only)];

    /// <summary>Alive when the target's gateway runs at the Link's address (what the probe through the gateway finds).</summary>
    private bool GatewayAlive(FakeLink link)
    {
        var target = toolbox.Cluster(link.Name)?.Api;
        if (target is null || !target.IsRunning) return false;
        var service = target.Get("v1", "Service", MulticlusterNamespace, "linkerd-gateway");
        var ip = (string?)service?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"];
        var deployment = target.Get("apps/v1", "Deployment", MulticlusterNamespace, "linkerd-gateway");
        return ip is not null && ip == link.GatewayAddress && deployment is not null && (deployment["spec"]?["replicas"].AsLong() ?? 1) > 0;
    }

    /// <summary>The API server must be the target node's and the token the target's current one, as a real connection would find.</summary>
    private string? CredentialsProblem(FakeKubernetesApi local, FakeLink link)
    {
        var secretName = link.CredentialsSecret ?? "";
        var secret = local.Get("v1", "Secret", MulticlusterNamespace, secretName);
        if (secret is null) return $"* secret: [{MulticlusterNamespace}/{secretName}]: secrets \"{secretName}\" not found";
        var encoded = (string?)secret["data"]?["kubeconfig"];
        var config = encoded is null ? null : JsonYaml.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        var server = (string?)config?["clusters"]?[0]?["cluster"]?["server"];
        var token = (string?)config?["users"]?[0]?["user"]?["token"];
        var target = toolbox.Cluster(link.Name);
        if (target?.Api is null || !target.Api.IsRunning || server != $"https://{target.ControlPlane.IpAddress}:6443")
            return $"* failed to connect to API for cluster: [{link.Name}]: Get \"{server}/version?timeout=30s\": dial tcp: connect: connection refused";
        if (token is null || token != TokenOf(target.Api))
            return $"* failed to connect to API for cluster: [{link.Name}]: the server has asked for the client to provide credentials";
        return null;
    }

    private bool SharesAnchors(FakeCluster local, FakeLink link)
    {
        static string? Anchors(FakeCluster? cluster) =>
            (string?)cluster?.Releases.FirstOrDefault(r => r.Name == "linkerd-control-plane")?.Values?["identityTrustAnchorsPEM"];
        var mine = Anchors(local);
        return mine is not null && mine == Anchors(toolbox.Cluster(link.Name));
    }

    private static string? TokenOf(FakeKubernetesApi api)
    {
        var secret = api.List("v1", "Secret", MulticlusterNamespace).FirstOrDefault(s =>
            (string?)s["type"] == "kubernetes.io/service-account-token"
            && (string?)s["metadata"]?["annotations"]?["kubernetes.io/service-account.name"] == RemoteAccess);
        return (string?)secret?["data"]?["token"] is { } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : null;
    }
}
