using System.Text;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// `linkerd multicluster check` (table output) as linkerd2 edge-26.8.3 multicluster/cmd/check.go defines its checks and
/// pkg/healthcheck/healthcheck.go + healthcheck_output.go run and print them: the category header, one line per check
/// that was not skipped ("√", "‼" for a failed warning, "×"), a verbose success's "\t* name" lines, a failure's
/// "    error" and "    see https://linkerd.io/2/checks/#anchor for hints", a blank line, "Status check results are
/// √|×"; exit 1 when a non-warning check failed, and nothing after a failed fatal check.
/// </summary>
internal sealed partial class LinkerdCli
{
    private const string Category = "linkerd-multicluster";
    private const string HintBase = "https://linkerd.io/2/checks/#";

    private sealed record CheckResult(bool Skipped, string? Details, string? Error)
    {
        public static readonly CheckResult Skip = new(true, null, null);
        public static readonly CheckResult Ok = new(false, null, null);
        public static CheckResult Verbose(IEnumerable<string> names) => new(false, string.Join('\n', names.Select(n => $"\t* {n}")), null);
        public static CheckResult Failed(string error) => new(false, null, error);

        /// <summary>check.go's pattern: a failure when there are errors, a skip ("no links") when no Link got through, else the names.</summary>
        public static CheckResult Of(IReadOnlyList<string> errors, int depth, IReadOnlyList<string> names) =>
            errors.Count > 0 ? Failed(JoinErrors(errors, depth)) : names.Count == 0 ? Skip : Verbose(names);
    }

    /// <summary>check.go joinErrors: each error on its own line, indented by four spaces per level.</summary>
    private static string JoinErrors(IEnumerable<string> errors, int depth) =>
        string.Join('\n', errors.Select(e => new string(' ', 4 * depth) + e));

    private int Check(FakeCall call, CommandLine line, (FakeCluster Cluster, KubeContext Context) local)
    {
        var api = local.Cluster.Api!;
        // assumed: the fake's linkerd-multicluster namespace carries linkerd.io/extension=multicluster (the chart's namespace-metadata hook).
        if (api.Get("v1", "Namespace", null, MulticlusterNamespace) is null)
        {
            call.ErrLine($"{NoExtension}; install by running `linkerd multicluster install | kubectl apply -f -`");
            return 1;
        }
        if (line.Get("--output", "-o") is { Length: > 0 } output && output != "table") return toolbox.NotImplemented(call);
        if (LinkerdConfig(local.Cluster) is null)
        {
            // configureAndRunChecks: InitializeLinkerdGlobalConfig's error.
            call.ErrLine("Failed to fetch linkerd config: configmaps \"linkerd-config\" not found");
            return 1;
        }

        var text = new StringBuilder();
        var success = true;
        var headed = false;
        var links = api.FindType(LinkApi, "Link") is null ? [] : api.List(LinkApi, "Link").Select(l => new FakeLink(l)).ToList();

        // Returns false when a fatal check failed: healthcheck.go RunChecks stops there.
        bool Run(string description, string anchor, Func<CheckResult> check, bool warning = false, bool fatal = false)
        {
            var result = check();
            if (result.Skipped) return true;
            if (!headed) text.Append($"{Category}\n{new string('-', Category.Length)}\n");
            headed = true;
            if (result.Error is null)
            {
                text.Append($"√ {description}\n");
                if (result.Details is not null) text.Append(result.Details).Append('\n');
                return true;
            }
            text.Append($"{(warning ? "‼" : "×")} {description}\n    {result.Error}\n    see {HintBase}{anchor} for hints\n");
            if (!warning) success = false;
            return !fatal;
        }

        // assumed: discovery's error for a group version the API server does not serve.
        var ok = Run("Link CRD exists", "l5d-multicluster-link-crd-exists", () => api.FindType(LinkApi, "Link") is null
            ? CheckResult.Failed("multicluster.linkerd.io/Link CRD is missing: the server could not find the requested resource") : CheckResult.Ok, fatal: true)
            && Run("Link resources are valid", "l5d-multicluster-links-are-valid", () => links.Count == 0
                ? CheckResult.Skip : CheckResult.Verbose(links.Select(l => l.Name)), fatal: true);
        if (ok)
        {
            Run("Link and CLI versions match", "l5d-multicluster-links-version", () => LinkVersions(links), warning: true);
            Run("remote cluster access credentials are valid", "l5d-smc-target-clusters-access", () => RemoteClusterAccess(api, links));
            Run("clusters share trust anchors", "l5d-multicluster-clusters-share-anchors", () => TrustAnchors(api, local.Cluster, links));
            // assumed: the chart's service accounts, (cluster) roles and bindings of each controller are there.
            Run("service mirror controller has required permissions", "l5d-multicluster-source-rbac-correct",
                () => CheckResult.Of([], 0, [.. links.Select(l => l.Name)]));
            Run("service mirror controllers are running", "l5d-multicluster-service-mirror-running", () => Controllers(api, links));
            Run("extension is managing controllers", "l5d-multicluster-managed-controllers",
                () => CheckResult.Of([], 0, [.. links.Where(l => ControllerOf(api, l) is not null).Select(l => l.Name)]), warning: true);
            Run("probe services able to communicate with all gateway mirrors", "l5d-multicluster-gateways-endpoints", () => GatewayMirrors(api, links));
            // assumed: every mirror Service of the fake has endpoints.
            Run("all mirror services have endpoints", "l5d-multicluster-services-endpoints",
                () => MirrorServices(api).Any(s => s.Labels?["mirror.linkerd.io/remote-discovery"] is null) ? CheckResult.Ok : CheckResult.Skip);
            Run("all mirror services are part of a Link", "l5d-multicluster-orphaned-services", () => Orphans(api, links), warning: true);
            // assumed: the extension's proxies are running with valid certificates, at the latest edge version
            // (the real check asks versioncheck.linkerd.io) and at the CLI's version.
            Run("multicluster extension proxies are healthy", "l5d-multicluster-proxy-healthy", () => CheckResult.Ok, warning: true);
            Run("multicluster extension proxies are up-to-date", "l5d-multicluster-proxy-cp-version", () => CheckResult.Ok, warning: true);
            Run("multicluster extension proxies and cli versions match", "l5d-multicluster-proxy-cli-version", () => CheckResult.Ok, warning: true);
        }
        // healthcheck_output.go runChecksTable's closing blank line and PrintChecksResult (no colour off a terminal).
        text.Append('\n').Append($"Status check results are {(success ? "√" : "×")}\n");
        call.Out(text.ToString());
        return success ? 0 : 1;
    }

    private CheckResult LinkVersions(IReadOnlyList<FakeLink> links)
    {
        var cli = toolbox.Versions.Tool("linkerd").Version;
        var errors = new List<string>();
        var names = new List<string>();
        foreach (var link in links)
        {
            var parts = ((string?)link.Object["metadata"]?["annotations"]?["linkerd.io/created-by"] ?? "").Split(' ');
            if (parts is ["linkerd/cli", var made] && made == cli) names.Add(link.Name);
            else if (parts is ["linkerd/cli", var other]) errors.Add($"* {link.Name}: CLI version is {cli} but Link version is {other}");
            else errors.Add($"* {link.Name}: unable to determine version");
        }
        return CheckResult.Of(errors, 2, names);
    }

    private CheckResult RemoteClusterAccess(FakeKubernetesApi api, IReadOnlyList<FakeLink> links)
    {
        var errors = new List<string>();
        var names = new List<string>();
        foreach (var link in links)
        {
            var (_, secretError, connectError) = Connect(api, link);
            if (secretError is not null) { errors.Add(secretError); continue; }
            if (connectError is not null) { errors.Add($"* failed to connect to API for cluster: [{link.Name}]: {connectError}"); continue; }
            // assumed: the remote-access service account may get, list and watch services (the chart's ClusterRole).
            names.Add(link.Name);
        }
        return CheckResult.Of(errors, 2, names);
    }

    private CheckResult TrustAnchors(FakeKubernetesApi api, FakeCluster local, IReadOnlyList<FakeLink> links)
    {
        var errors = new List<string>();
        var names = new List<string>();
        foreach (var link in links)
        {
            var (remote, secretError, connectError) = Connect(api, link);
            if (secretError is not null) { errors.Add(secretError); continue; }
            if (connectError is not null) { errors.Add($"* {link.Name}: unable to fetch anchors: {connectError}"); continue; }
            if (LinkerdConfig(remote!) is null) { errors.Add($"* {link.Name}: unable to fetch anchors: configmaps \"linkerd-config\" not found"); continue; }
            // assumed: equal PEM text stands for check.go's certificate-by-certificate comparison.
            if (TrustAnchorsOf(local) is not { } mine || mine != TrustAnchorsOf(remote!)) errors.Add($"* {link.Name}");
            names.Add(link.Name);
        }
        return errors.Count > 0 ? CheckResult.Failed("Problematic clusters:\n    " + string.Join("\n    ", errors)) : CheckResult.Of([], 0, names);
    }

    private static string? TrustAnchorsOf(FakeCluster cluster) =>
        ((string?)cluster.Releases.FirstOrDefault(r => r.Name == "linkerd-control-plane")?.Values?["identityTrustAnchorsPEM"])?.Trim();

    private static CheckResult Controllers(FakeKubernetesApi api, IReadOnlyList<FakeLink> links)
    {
        var errors = new List<string>();
        var names = new List<string>();
        foreach (var link in links)
        {
            // assumed: the --wait retries end with the same result (the fake's state does not change while it checks).
            if (ControllerOf(api, link) is not { } controller) errors.Add($"* no service mirror controller deployment for Link {link.Name}");
            else if ((controller["spec"]?["replicas"].AsLong() ?? 1) < 1)
                errors.Add($"* service mirror controller is not available: {MulticlusterNamespace}/controller-{link.Name}");
            else names.Add(link.Name);
        }
        return CheckResult.Of(errors, 2, names);
    }

    /// <summary>
    /// The Deployment check.go finds by "component in (service-mirror, controller),mirror.linkerd.io/cluster-name=&lt;target&gt;".
    /// assumed: that is the multicluster chart's controller-&lt;link&gt; (templates/controller/deployment.yaml labels it so).
    /// </summary>
    private static System.Text.Json.Nodes.JsonObject? ControllerOf(FakeKubernetesApi api, FakeLink link) =>
        api.Get("apps/v1", "Deployment", MulticlusterNamespace, $"controller-{link.Name}");

    private CheckResult GatewayMirrors(FakeKubernetesApi api, IReadOnlyList<FakeLink> links)
    {
        var errors = new List<string>();
        var names = new List<string>();
        foreach (var link in links.Where(l => !string.IsNullOrEmpty(l.GatewayAddress) && !string.IsNullOrEmpty((string?)l.Object["spec"]?["probeSpec"]?["path"])))
        {
            // assumed: without its controller the Link has no mirrored probe gateway; with it, gateway_alive follows the target's gateway.
            if (ControllerOf(api, link) is null) errors.Add($"wrong number (0) of probe gateways for target cluster {link.Name}");
            else if (!GatewayAlive(link)) errors.Add($"liveness checks failed for {link.Name}");
            else names.Add(link.Name);
        }
        return CheckResult.Of(errors, 1, names);
    }

    private sealed record MirrorService(string Name, string Namespace, System.Text.Json.Nodes.JsonNode? Labels);

    /// <summary>Services labelled mirror.linkerd.io/mirrored-service and not mirror.linkerd.io/mirrored-gateway (pkg/k8s/labels.go).</summary>
    private static List<MirrorService> MirrorServices(FakeKubernetesApi api) =>
        [.. api.List("v1", "Service")
            .Select(s => new MirrorService((string?)s["metadata"]?["name"] ?? "", (string?)s["metadata"]?["namespace"] ?? "", s["metadata"]?["labels"]))
            .Where(s => s.Labels?["mirror.linkerd.io/mirrored-service"] is not null && s.Labels?["mirror.linkerd.io/mirrored-gateway"] is null)];

    private static CheckResult Orphans(FakeKubernetesApi api, IReadOnlyList<FakeLink> links)
    {
        var services = MirrorServices(api).Where(s => s.Labels?[ClusterNameLabel] is not null).ToList();
        if (services.Count == 0) return CheckResult.Skip;
        var errors = services.Where(s => !links.Any(l => l.Name == (string?)s.Labels?[ClusterNameLabel]))
            .Select(s => $"mirror service {s.Name}.{s.Namespace} is not part of any Link").ToList();
        return errors.Count > 0 ? CheckResult.Failed(JoinErrors(errors, 1)) : CheckResult.Ok;
    }

    /// <summary>
    /// What connecting with a Link's credentials finds: the target cluster's API, else the credentials Secret's error
    /// ("* secret: [ns/name]: ...") or the connection's. assumed: client-go's texts for a refused dial and for a token the
    /// API server rejects (its 401 Status says "Unauthorized").
    /// </summary>
    private (FakeCluster? Remote, string? SecretError, string? ConnectError) Connect(FakeKubernetesApi local, FakeLink link)
    {
        var secretName = link.CredentialsSecret ?? "";
        var secret = local.Get("v1", "Secret", link.Namespace, secretName);
        if (secret is null) return (null, $"* secret: [{link.Namespace}/{secretName}]: secrets \"{secretName}\" not found", null);
        var encoded = (string?)secret["data"]?["kubeconfig"];
        var config = encoded is null ? null : JsonYaml.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        var server = (string?)config?["clusters"]?[0]?["cluster"]?["server"];
        var token = (string?)config?["users"]?[0]?["user"]?["token"];
        var target = toolbox.Cluster(link.Name);
        if (target?.Api is null || !target.Api.IsRunning || server != $"https://{target.ControlPlane.IpAddress}:6443")
            return (null, null, $"Get \"{server}/version?timeout=30s\": dial tcp {KubeContext.HostPort(server ?? "")}: connect: connection refused");
        if (token is null || token != TokenOf(target.Api)) return (null, null, "Unauthorized");
        return (target, null, null);
    }
}
