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
internal sealed partial class LinkerdCli(FakeToolbox toolbox)
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
        if (line.All(Untranscribed(parse.Words)).Count > 0) return toolbox.NotImplemented(call);
        return parse.Words switch
        {
            ["version"] => Version(call, line),
            ["multicluster", "link-gen"] => WithCluster(call, line, cluster => LinkGen(call, line, cluster)),
            ["multicluster", "check"] => WithCluster(call, line, cluster => Check(call, line, cluster)),
            ["multicluster", "gateways"] => WithCluster(call, line, cluster => Gateways(call, line, cluster)),
            _ => toolbox.NotImplemented(call),
        };
    }

    /// <summary>
    /// Flags the fake accepts (LinkerdFlags) but whose effect on the output it does not transcribe, since the lab never
    /// passes them: link-gen.go's and check.go's options other than the lab's, and root.go's -L/--as/--as-group/--api-addr (the gateways table is left as it was checked).
    /// </summary>
    private static string[] Untranscribed(IReadOnlyList<string> words)
    {
        string[] persistent = ["--linkerd-namespace", "-L", "--as", "--as-group", "--api-addr"];
        return words switch
        {
            ["multicluster", "link-gen"] =>
            [
                .. persistent, "--namespace", "--service-account-name", "--gateway-name", "--gateway-namespace", "--selector", "-l",
                "--remote-discovery-selector", "--federated-service-selector", "--gateway-addresses", "--gateway-port",
                "--excluded-annotations", "--excluded-labels", "--output", "-o", "--gateway",
            ],
            ["multicluster", "check"] => [.. persistent, "--timeout", "--proxy", "--namespace", "-n"],
            _ => [],
        };
    }

    /// <summary>cli/cmd/version.go with --client --short, the one form the lab runs (ToolVersionProbe): the bare version.</summary>
    private int Version(FakeCall call, CommandLine line)
    {
        if (!line.Has("--short") || !line.Has("--client")) return toolbox.NotImplemented(call);
        call.OutLine(toolbox.Versions.Tool("linkerd").Version);
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

    /// <summary>A Link as check.go and gateways.go read it: named by spec.targetClusterName.</summary>
    private sealed record FakeLink(JsonObject Object)
    {
        public string Name => (string?)Object["spec"]?["targetClusterName"] ?? "";
        public string Namespace => (string?)Object["metadata"]?["namespace"] ?? "";
        public string? GatewayAddress => (string?)Object["spec"]?["gatewayAddress"];
        public string? CredentialsSecret => (string?)Object["spec"]?["clusterCredentialsSecret"];
    }

    private static List<FakeLink> LinksOf(FakeKubernetesApi api, string? only) =>
        api.FindType(LinkApi, "Link") is null ? [] :
        [.. api.List(LinkApi, "Link", MulticlusterNamespace).Select(l => new FakeLink(l)).Where(l => only is null || l.Name == only)];

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

    private static string? TokenOf(FakeKubernetesApi api)
    {
        var secret = api.List("v1", "Secret", MulticlusterNamespace).FirstOrDefault(s =>
            (string?)s["type"] == "kubernetes.io/service-account-token"
            && (string?)s["metadata"]?["annotations"]?["kubernetes.io/service-account.name"] == RemoteAccess);
        return (string?)secret?["data"]?["token"] is { } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : null;
    }
}
