using System.Text.Json.Nodes;
using LgtmLab.AppHost.Configuration;

namespace LgtmLab.Tests.Fakes;

/// <summary>What a chart installs, as the fake helm needs it.</summary>
/// <param name="Release">Release name.</param>
/// <param name="Namespace">Release namespace.</param>
/// <param name="Values">The merged user-supplied values (null when none).</param>
internal sealed record FakeChartContext(string Release, string Namespace, string Chart, string Version, JsonNode? Values)
{
    /// <summary>Helm's usual fullname: the release name when it contains the chart name, else "release-chart".</summary>
    public string FullName
    {
        get
        {
            var name = Release.Contains(Chart, StringComparison.Ordinal) ? Release : $"{Release}-{Chart}";
            return name[..Math.Min(63, name.Length)].TrimEnd('-');
        }
    }
}

/// <summary>
/// The objects each chart creates in the fake cluster: its CRDs (installed once, kept on uninstall, as helm
/// does with a chart's crds/ folder) and its workloads and Services. The pinned charts have built-in
/// definitions (workload names as the charts name them, LoadBalancer Services where the lab waits for an
/// address); any other chart installs one Deployment named after the release. Tests may redefine a chart.
/// </summary>
internal sealed class FakeCharts
{
    private readonly List<ChartVersion> _published = [];
    private readonly Dictionary<string, (Func<FakeChartContext, IEnumerable<JsonObject>> Crds, Func<FakeChartContext, IEnumerable<JsonObject>> Objects, string? AppVersion)> _charts = [];

    internal FakeCharts(string linkerdVersion)
    {
        Define("metallb", c => [
            Crd("metallb.io", "IPAddressPool", "ipaddresspools", ["v1beta1"]), Crd("metallb.io", "L2Advertisement", "l2advertisements", ["v1beta1"]),
            Crd("metallb.io", "BGPPeer", "bgppeers", ["v1beta1", "v1beta2"]), Crd("metallb.io", "BGPAdvertisement", "bgpadvertisements", ["v1beta1"]),
            Crd("metallb.io", "Community", "communities", ["v1beta1"]), Crd("metallb.io", "BFDProfile", "bfdprofiles", ["v1beta1"]),
            Crd("metallb.io", "ServiceL2Status", "servicel2statuses", ["v1beta1"]),
        ], c => [Workload("Deployment", c, c.FullName + "-controller"), Workload("DaemonSet", c, c.FullName + "-speaker"),
            Service(c, "metallb-webhook-service", "ClusterIP", ("https", 443))], appVersion: null);
        Define("linkerd-crds", c => [
            Crd("policy.linkerd.io", "AuthorizationPolicy", "authorizationpolicies", ["v1alpha1"]),
            Crd("policy.linkerd.io", "EgressNetwork", "egressnetworks", ["v1alpha1"]),
            Crd("policy.linkerd.io", "HTTPLocalRateLimitPolicy", "httplocalratelimitpolicies", ["v1alpha1"]),
            Crd("policy.linkerd.io", "HTTPRoute", "httproutes", ["v1beta3"]),
            Crd("policy.linkerd.io", "MeshTLSAuthentication", "meshtlsauthentications", ["v1alpha1"]),
            Crd("policy.linkerd.io", "NetworkAuthentication", "networkauthentications", ["v1alpha1"]),
            Crd("policy.linkerd.io", "ServerAuthorization", "serverauthorizations", ["v1beta1"]),
            Crd("policy.linkerd.io", "Server", "servers", ["v1beta3"]),
            Crd("linkerd.io", "ServiceProfile", "serviceprofiles", ["v1alpha2"]),
            Crd("workload.linkerd.io", "ExternalWorkload", "externalworkloads", ["v1beta1"]),
        ], _ => [], linkerdVersion);
        Define("linkerd-control-plane", _ => [], c => [Workload("Deployment", c, "linkerd-destination"),
            Workload("Deployment", c, "linkerd-identity"), Workload("Deployment", c, "linkerd-proxy-injector")], linkerdVersion);
        Define("linkerd-viz", _ => [], c => [.. new[] { "metrics-api", "prometheus", "tap", "tap-injector", "web" }.Select(n => Workload("Deployment", c, n))], linkerdVersion);
        Define("linkerd-multicluster", c => [Crd("multicluster.linkerd.io", "Link", "links", ["v1alpha3"])], MulticlusterObjects, linkerdVersion);
        Define("grafana", _ => [], c => [Workload("Deployment", c, c.FullName), Service(c, c.FullName, "ClusterIP", ("service", 80))], null);
        Define("loki", _ => [], c => [Workload("StatefulSet", c, c.FullName), Service(c, c.FullName, "ClusterIP", ("http-metrics", 3100))], null);
        Define("tempo", _ => [], c => [Workload("StatefulSet", c, c.FullName), Service(c, c.FullName, "ClusterIP", ("tempo-prom-metrics", 3200))], null);
        Define("alloy", _ => [], c => [Workload("DaemonSet", c, c.FullName), Service(c, c.FullName, "ClusterIP", ("http-metrics", 12345))], null);
        Define("prometheus", _ => [], PrometheusObjects, null);
        Define("traefik", _ => [], TraefikObjects, null);
    }

    /// <summary>
    /// Makes <paramref name="chart"/> <paramref name="version"/> available in <paramref name="repo"/> (an https chart
    /// repository or an <c>oci://</c> registry path), as a user's own chart is beside the pinned ones. Without a
    /// <see cref="Define"/> it installs one Deployment named after the release.
    /// </summary>
    public void Publish(string repo, string chart, string version)
    {
        lock (_charts) _published.Add(new ChartVersion { Repo = repo.TrimEnd('/'), Chart = chart, Version = version });
    }

    internal ChartVersion? Published(string repo, string chart, string? version)
    {
        lock (_charts)
            return _published.FirstOrDefault(c => c.Chart == chart && string.Equals(c.Repo, repo.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
                && (version is null || c.Version == version));
    }

    /// <summary>Defines (or redefines) what installing <paramref name="chart"/> creates.</summary>
    public void Define(string chart, Func<FakeChartContext, IEnumerable<JsonObject>> crds, Func<FakeChartContext, IEnumerable<JsonObject>> objects, string? appVersion)
    {
        lock (_charts) _charts[chart] = (crds, objects, appVersion);
    }

    internal (IReadOnlyList<JsonObject> Crds, IReadOnlyList<JsonObject> Objects, string? AppVersion) Render(FakeChartContext context)
    {
        lock (_charts)
        {
            if (!_charts.TryGetValue(context.Chart, out var chart))
                return ([], [Workload("Deployment", context, context.FullName)], null);
            return ([.. chart.Crds(context)], [.. chart.Objects(context)], chart.AppVersion);
        }
    }

    private static IEnumerable<JsonObject> MulticlusterObjects(FakeChartContext c)
    {
        if (c.Values?["gateway"]?["enabled"] is not JsonValue enabled || enabled.GetValue<bool>())
        {
            yield return Workload("Deployment", c, "linkerd-gateway");
            var gateway = Service(c, "linkerd-gateway", "LoadBalancer", ("mc-gateway", 4143), ("mc-probe", 4191));
            var annotations = gateway["metadata"]!["annotations"]!.AsObject();
            annotations["mirror.linkerd.io/gateway-identity"] = $"linkerd-gateway.{c.Namespace}.serviceaccount.identity.linkerd.cluster.local";
            annotations["mirror.linkerd.io/probe-path"] = "/ready";
            annotations["mirror.linkerd.io/probe-period"] = "3";
            yield return gateway;
        }
        // What link-gen reads on the target cluster: the remote-access service account and its token Secret
        // (the fake API server's token controller fills the token in, once).
        const string remoteAccess = "linkerd-service-mirror-remote-access-default";
        var account = Object("v1", "ServiceAccount", c, remoteAccess, []);
        account.Remove("spec");
        yield return account;
        var token = Object("v1", "Secret", c, remoteAccess + "-token", []);
        token.Remove("spec");
        token["type"] = "kubernetes.io/service-account-token";
        token["metadata"]!["annotations"]!["kubernetes.io/service-account.name"] = remoteAccess;
        yield return token;
        foreach (var controller in (c.Values?["controllers"] as JsonArray ?? []).OfType<JsonObject>())
            if ((string?)controller["link"]?["ref"]?["name"] is { } link) yield return Workload("Deployment", c, $"controller-{link}");
    }

    /// <summary>The server is named by <c>server.fullnameOverride</c> and listens on <c>server.service.servicePort</c>, as in the chart.</summary>
    private static IEnumerable<JsonObject> PrometheusObjects(FakeChartContext c)
    {
        var name = (string?)c.Values?["server"]?["fullnameOverride"] ?? c.FullName + "-server";
        var port = int.TryParse(c.Values?["server"]?["service"]?["servicePort"]?.ToString(), out var set) ? set : 80;
        return [Workload("Deployment", c, name), Service(c, name, "ClusterIP", ("http", port))];
    }

    /// <summary><c>ports.traefik.expose.internal</c> publishes the traefik entry point (8080: /ping) on a ClusterIP Service <c>&lt;name&gt;-internal</c>.</summary>
    private static IEnumerable<JsonObject> TraefikObjects(FakeChartContext c)
    {
        var name = (string?)c.Values?["fullnameOverride"] ?? c.FullName;
        yield return Workload("Deployment", c, name);
        yield return Service(c, name, "LoadBalancer", ("web", 80), ("websecure", 443));
        if (c.Values?["ports"]?["traefik"]?["expose"]?["internal"]?.ToString() is "true" or "True")
            yield return Service(c, name + "-internal", "ClusterIP", ("traefik", 8080));
    }

    /// <summary>A Deployment, DaemonSet or StatefulSet with helm's labels and annotations.</summary>
    public static JsonObject Workload(string kind, FakeChartContext c, string name)
    {
        var selector = new JsonObject { ["app.kubernetes.io/name"] = name, ["app.kubernetes.io/instance"] = c.Release };
        var spec = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = selector.DeepClone() },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = selector.DeepClone() },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = $"example.invalid/{c.Chart}:{c.Version}" }) },
            },
        };
        if (kind != "DaemonSet") spec["replicas"] = 1;
        if (kind == "StatefulSet") spec["serviceName"] = name;
        return Object("apps/v1", kind, c, name, spec);
    }

    public static JsonObject Service(FakeChartContext c, string name, string type, params (string Name, int Port)[] ports) =>
        Object("v1", "Service", c, name, new JsonObject
        {
            ["type"] = type,
            ["selector"] = new JsonObject { ["app.kubernetes.io/instance"] = c.Release },
            ["ports"] = new JsonArray([.. ports.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["port"] = p.Port, ["protocol"] = "TCP" })]),
        });

    public static JsonObject Crd(string group, string kind, string plural, string[] versions) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
        ["spec"] = new JsonObject
        {
            ["group"] = group,
            ["names"] = new JsonObject { ["kind"] = kind, ["listKind"] = kind + "List", ["plural"] = plural, ["singular"] = kind.ToLowerInvariant() },
            ["scope"] = "Namespaced",
            ["versions"] = new JsonArray([.. versions.Select((v, i) => (JsonNode)new JsonObject
            {
                ["name"] = v, ["served"] = true, ["storage"] = i == versions.Length - 1,
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
            })]),
        },
    };

    private static JsonObject Object(string apiVersion, string kind, FakeChartContext c, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = c.Namespace,
            ["labels"] = new JsonObject
            {
                ["app.kubernetes.io/instance"] = c.Release, ["app.kubernetes.io/managed-by"] = "Helm",
                ["app.kubernetes.io/name"] = name, ["helm.sh/chart"] = $"{c.Chart}-{c.Version}",
            },
            ["annotations"] = new JsonObject { ["meta.helm.sh/release-name"] = c.Release, ["meta.helm.sh/release-namespace"] = c.Namespace },
        },
        ["spec"] = spec,
    };
}
