using System.Text;
using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// `linkerd multicluster link-gen` as linkerd2 edge-26.8.3 multicluster/cmd/link-gen.go runs it with the lab's flags
/// (the default --namespace, --service-account-name, --gateway-name/-namespace, selectors and -o yaml): the same
/// reads in the same order, failing with the same messages, then the source credentials Secret, the destination
/// credentials Secret and the Link, each followed by "---".
/// </summary>
internal sealed partial class LinkerdCli
{
    // multicluster/cmd/root.go constants.
    private const string ClusterNameLabel = "multicluster.linkerd.io/cluster-name";
    private const string TrustDomainAnnotation = "multicluster.linkerd.io/trust-domain";
    private const string ClusterDomainAnnotation = "multicluster.linkerd.io/cluster-domain";
    private const string ControlPlaneNamespace = "linkerd";

    private int LinkGen(FakeCall call, CommandLine line, (FakeCluster Cluster, KubeContext Context) target)
    {
        var name = line.Get("--cluster-name") ?? "";
        if (name.Length == 0) return Fail(call, "you need to specify cluster name");
        var api = target.Cluster.Api!;

        // root.go getLinkerdConfigMap -> healthcheck.FetchCurrentConfiguration: linkerd-config in the control plane's namespace.
        // assumed: the fake has linkerd-config exactly when the linkerd-control-plane release is deployed.
        if (LinkerdConfig(target.Cluster) is not { } config)
            return Fail(call, "you need Linkerd to be installed on a cluster in order to get its credentials");

        // getKubeconfig: the service account, then its token among the namespace's service-account-token Secrets.
        if (api.Get("v1", "ServiceAccount", MulticlusterNamespace, RemoteAccess) is null)
            return Fail(call, $"serviceaccounts \"{RemoteAccess}\" not found");
        if (TokenOf(api) is not { } token) return Fail(call, $"could not find service account token secret for {RemoteAccess}");
        var kubeconfig = Kubeconfig(target.Context, line.Get("--api-server-address"), token);

        // getLink with --gateway (default true).
        var gateway = api.Get("v1", "Service", MulticlusterNamespace, "linkerd-gateway");
        if (gateway is null) return Fail(call, "services \"linkerd-gateway\" not found");
        var gatewayName = $"linkerd-gateway.{MulticlusterNamespace}";
        var addresses = (gateway["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? [])
            .Select(i => (string?)i?["ip"] is { Length: > 0 } ip ? ip : (string?)i?["hostname"]).Where(a => !string.IsNullOrEmpty(a)).ToList();
        if (addresses.Count == 0) return Fail(call, $"gateway {gatewayName} has no ingress addresses");
        var annotations = gateway["metadata"]?["annotations"];
        if ((string?)annotations?["mirror.linkerd.io/gateway-identity"] is not { Length: > 0 } identity)
            return Fail(call, $"gateway {gatewayName} has no mirror.linkerd.io/gateway-identity annotation");
        // extractProbeSpec: the probe-path annotation, the port named mc-probe, the probe-period annotation as a Go duration.
        if ((string?)annotations?["mirror.linkerd.io/probe-path"] is not { Length: > 0 } probePath) return Fail(call, "probe path is empty");
        if (PortOf(gateway, "mc-probe") is not { } probePort) return Fail(call, "could not find port with name mc-probe");
        var period = (string?)annotations?["mirror.linkerd.io/probe-period"] ?? "";
        if (long.TryParse(period, out var seconds)) period = GoDuration(seconds);
        else if (!IsGoDuration(period)) return Fail(call, $"could not parse probe period: time: invalid duration \"{period}\"");
        // extractGatewayPort: the port named mc-gateway.
        if (PortOf(gateway, "mc-gateway") is not { } gatewayPort)
            return Fail(call, "gateway service linkerd-gateway has no gateway port named mc-gateway");

        var credentialsName = $"cluster-credentials-{name}";
        var link = new JsonObject
        {
            ["apiVersion"] = LinkApi, ["kind"] = "Link",
            ["metadata"] = new JsonObject
            {
                // pkg/k8s/labels.go CreatedByAnnotationValue.
                ["annotations"] = new JsonObject { ["linkerd.io/created-by"] = "linkerd/cli " + toolbox.Versions.Tool("linkerd").Version },
                ["name"] = name, ["namespace"] = MulticlusterNamespace,
            },
            // controller/gen/apis/link/v1alpha3/types.go: every spec field omitempty (empty excluded lists vanish), probeSpec
            // and status are structs, so encoding/json always writes them ("status: {}").
            ["spec"] = new JsonObject
            {
                ["clusterCredentialsSecret"] = credentialsName,
                ["federatedServiceSelector"] = MatchLabels("mirror.linkerd.io/federated", "member"),
                ["gatewayAddress"] = string.Join(',', addresses),
                ["gatewayIdentity"] = identity,
                ["gatewayPort"] = $"{gatewayPort}",
                ["probeSpec"] = new JsonObject { ["path"] = probePath, ["period"] = period, ["port"] = $"{probePort}" },
                ["remoteDiscoverySelector"] = MatchLabels("mirror.linkerd.io/exported", "remote-discovery"),
                ["selector"] = MatchLabels("mirror.linkerd.io/exported", "true"),
                ["targetClusterDomain"] = config.ClusterDomain,
                ["targetClusterLinkerdNamespace"] = ControlPlaneNamespace,
                ["targetClusterName"] = name,
            },
            ["status"] = new JsonObject(),
        };
        var destination = Credentials(credentialsName, ControlPlaneNamespace, kubeconfig);
        destination["metadata"]!["annotations"] = new JsonObject { [TrustDomainAnnotation] = config.TrustDomain, [ClusterDomainAnnotation] = config.ClusterDomain };
        destination["metadata"]!["labels"] = new JsonObject { [ClusterNameLabel] = name };
        call.Out(JsonYaml.ToGoYaml(Credentials(credentialsName, MulticlusterNamespace, kubeconfig)) + "---\n");
        call.Out(JsonYaml.ToGoYaml(destination) + "---\n");
        call.Out(JsonYaml.ToGoYaml(link) + "---\n");
        return 0;
    }

    /// <summary>
    /// The linkerd-config values link-gen reads: clusterDomain (chart default cluster.local) and identityTrustDomain, which
    /// charts/linkerd-control-plane/templates/config.yaml stores as clusterDomain when empty. Null without Linkerd.
    /// </summary>
    private static (string ClusterDomain, string TrustDomain)? LinkerdConfig(FakeCluster cluster)
    {
        var release = cluster.Releases.FirstOrDefault(r => r.Name == "linkerd-control-plane" && r.Status == "deployed");
        if (release is null) return null;
        var clusterDomain = (string?)release.Values?["clusterDomain"] is { Length: > 0 } domain ? domain : "cluster.local";
        var trustDomain = (string?)release.Values?["identityTrustDomain"] is { Length: > 0 } trust ? trust : clusterDomain;
        return (clusterDomain, trustDomain);
    }

    private static JsonObject MatchLabels(string key, string value) => new() { ["matchLabels"] = new JsonObject { [key] = value } };

    /// <summary>link-gen.go extractPort: the named port's port, or its nodePort on a NodePort Service.</summary>
    private static long? PortOf(JsonObject service, string portName)
    {
        var port = (service["spec"]?["ports"] as JsonArray ?? []).FirstOrDefault(p => (string?)p?["name"] == portName);
        if (port is null) return null;
        return (string?)service["spec"]?["type"] == "NodePort" ? port["nodePort"].AsLong() ?? 0 : port["port"].AsLong() ?? 0;
    }

    /// <summary>Go's time.Duration.String for whole seconds ("3s", "1m0s", "1h0m0s").</summary>
    private static string GoDuration(long seconds)
    {
        if (seconds == 0) return "0s";
        var sign = seconds < 0 ? "-" : "";
        var s = Math.Abs(seconds);
        return s < 60 ? $"{sign}{s}s" : s < 3600 ? $"{sign}{s / 60}m{s % 60}s" : $"{sign}{s / 3600}h{s / 60 % 60}m{s % 60}s";
    }

    // assumed: the gateway's probe-period is either whole seconds or a simple Go duration (the chart writes "3").
    private static bool IsGoDuration(string text) => GoDurationPattern().IsMatch(text) || text == "0";

    [System.Text.RegularExpressions.GeneratedRegex(@"^[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial System.Text.RegularExpressions.Regex GoDurationPattern();

    /// <summary>
    /// getKubeconfig: the caller's kubeconfig cut down to the current context (--context when given), whose user becomes
    /// the service account with its token, and that context's cluster with its server replaced by --api-server-address;
    /// written by clientcmd.Write (the v1 Config, keys sorted by sigs.k8s.io/yaml).
    /// </summary>
    private static string Kubeconfig(KubeContext context, string? apiServer, string token)
    {
        var config = FakeKubeconfig.Load(context.KubeconfigPath);
        var entry = FakeKubeconfig.Entry(config, "contexts", context.ContextName)!.DeepClone();
        entry["context"]!["user"] = RemoteAccess;
        var clusterName = (string?)entry["context"]?["cluster"] ?? "";
        var cluster = FakeKubeconfig.Entry(config, "clusters", clusterName)!.DeepClone();
        if (apiServer is { Length: > 0 }) cluster["cluster"]!["server"] = apiServer;
        var result = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Config",
            ["clusters"] = new JsonArray(cluster),
            ["contexts"] = new JsonArray(entry),
            ["current-context"] = context.ContextName,
            ["preferences"] = new JsonObject(),
            ["users"] = new JsonArray(new JsonObject { ["name"] = RemoteAccess, ["user"] = new JsonObject { ["token"] = token } }),
        };
        return JsonYaml.ToGoYaml(result);
    }

    /// <summary>
    /// getCreds: a Secret of type mirror.linkerd.io/remote-kubeconfig (pkg/k8s/labels.go MirrorSecretType) holding the
    /// kubeconfig under "kubeconfig" (ConfigKeyName); no creationTimestamp (apimachinery v0.36 ObjectMeta omits a zero one).
    /// </summary>
    private static JsonObject Credentials(string name, string ns, string kubeconfig) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["kubeconfig"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig)) },
        ["type"] = "mirror.linkerd.io/remote-kubeconfig",
    };
}
