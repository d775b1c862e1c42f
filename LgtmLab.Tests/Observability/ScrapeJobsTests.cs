using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LgtmLab.Tests.Infrastructure;
using LgtmLab.Tests.Local;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Observability;

/// <summary>
/// Every Kubernetes scrape job of the lab's Prometheus values, run in Debian's real Prometheus: discovery is
/// replaced by file_sd targets carrying the meta labels Prometheus's Kubernetes discovery gives the pods and
/// Services of the pinned charts (kubernetes-scrape-inventory.json), and /api/v1/targets shows what the jobs'
/// relabeling keeps and how it labels it. Every target is sent to a closed loopback port, never to a pod address.
/// </summary>
public sealed partial class ScrapeJobsTests
{
    private static readonly string[] LinkerdNamespaces = ["linkerd", "linkerd-viz", "linkerd-multicluster"];

    [RequiresToolFact("prometheus")]
    public async Task Every_linkerd_admin_port_meshed_proxy_and_tns_service_is_kept_under_the_job_its_dashboards_read()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var inventory = JsonNode.Parse(File.ReadAllText(Path.Combine(LabAssets.RepoRoot, "LgtmLab.Tests", "Observability", "kubernetes-scrape-inventory.json")))!;
        var pods = inventory["pods"]!.AsArray().Select(p => p!).ToList();
        var directory = Directory.CreateTempSubdirectory("lgtmlab-scrape-jobs-").FullName;
        var closedPort = FreePort.Next();

        var jobs = new JsonArray();
        foreach (var (name, job) in KubernetesJobs())
        {
            var role = (string)job["kubernetes_sd_configs"]![0]!["role"]!;
            var targetsFile = Path.Combine(directory, name + ".json");
            File.WriteAllText(targetsFile, new JsonArray([.. Targets(role, pods, inventory["services"]!.AsArray())]).ToJsonString());
            var relabel = job["relabel_configs"]!.DeepClone().AsArray();
            relabel.Add(new JsonObject { ["target_label"] = "__address__", ["replacement"] = $"127.0.0.1:{closedPort}" });
            jobs.Add(new JsonObject
            {
                ["job_name"] = name,
                ["file_sd_configs"] = new JsonArray(new JsonObject { ["files"] = new JsonArray(targetsFile) }),
                ["relabel_configs"] = relabel,
            });
        }
        var config = new JsonObject
        {
            ["global"] = new JsonObject { ["scrape_interval"] = "1m", ["scrape_timeout"] = "1s" },
            ["scrape_configs"] = jobs,
        };

        await using var prometheus = await PrometheusServer.StartAsync(directory, config, timeout.Token);
        var expectedAdminPorts = pods
            .Where(p => LinkerdNamespaces.Contains((string)p["namespace"]!))
            .SelectMany(p => Ports(p).Where(port => port.Name.EndsWith("admin", StringComparison.Ordinal) && port.Name != "linkerd-admin")
                .Select(port => ((string)p["namespace"]!, (string)p["name"]!, port.Container)))
            .ToHashSet();
        var meshedPods = pods.Where(p => Ports(p).Any(port => port.Name == "linkerd-admin")).Select(p => (string)p["name"]!).ToHashSet();
        // The scrape manager applies discovered targets every 5 s; a bounded wait, then the assertions say what is missing.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        IReadOnlyList<IReadOnlyDictionary<string, string>> targets;
        while (true)
        {
            targets = await prometheus.ActiveTargetLabelsAsync(timeout.Token);
            if (targets.Count >= expectedAdminPorts.Count + meshedPods.Count + 3 || DateTime.UtcNow > deadline) break;
            await Task.Delay(250, timeout.Token);
        }

        var controller = targets.Where(t => t["job"] == "linkerd-controller").Select(t => (t["namespace"], t["pod"], t["component"])).ToHashSet();
        Assert.True(expectedAdminPorts.Count >= 11, $"the inventory lists {expectedAdminPorts.Count} Linkerd admin ports");
        Assert.True(expectedAdminPorts.SetEquals(controller),
            $"linkerd-controller keeps {string.Join(", ", controller)}; every Linkerd admin port is {string.Join(", ", expectedAdminPorts)}");

        var proxies = targets.Where(t => t["job"] == "linkerd-proxy").ToList();
        Assert.Equal(meshedPods.Order(), proxies.Select(t => t["pod"]).Order());
        Assert.All(proxies, t => Assert.True(t.ContainsKey("deployment") && t.ContainsKey("control_plane_ns") && t.ContainsKey("namespace"),
            $"a proxy target lacks the labels Linkerd's dashboards query: {string.Join(",", t.Keys)}"));

        var tns = targets.Where(t => t["job"].StartsWith("tns/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["tns/app", "tns/db", "tns/loadgen"], tns.Select(t => t["job"]).Order());
        Assert.All(tns, t => Assert.Equal("tns", t["namespace"]));
    }

    private static IEnumerable<(string Name, JsonNode Job)> KubernetesJobs() =>
        JsonYaml.Parse(LabAssets.Read("helm/prometheus.yaml"))!["scrapeConfigs"]!.AsObject()
            .Where(j => j.Value?["kubernetes_sd_configs"] is not null)
            .Select(j => (j.Key, j.Value!));

    private static List<(string Container, string Name, int Number)> Ports(JsonNode pod) =>
        [.. pod["containers"]!.AsArray().SelectMany(c => c!["ports"]!.AsObject().Select(p => ((string)c["name"]!, p.Key, (int)p.Value!)))];

    // The meta labels of Prometheus's Kubernetes discovery (discovery/kubernetes/pod.go, endpointslice.go):
    // one target per container port; label and annotation names sanitised to [a-zA-Z0-9_].
    private static IEnumerable<JsonNode> Targets(string role, List<JsonNode> pods, JsonArray services) => role switch
    {
        "pod" => pods.SelectMany(pod => Ports(pod).Select(port => Group(PodLabels(pod, port), pod, port))),
        "endpointslice" => services.SelectMany(service => pods
            .Where(pod => (string)pod["namespace"]! == (string)service!["namespace"]! && service["selector"]!.AsObject()
                .All(s => (string?)pod["labels"]![s.Key] == (string)s.Value!))
            .SelectMany(pod => Ports(pod).Where(port => port.Name == (string)service!["targetPort"]!).Select(port =>
            {
                var labels = PodLabels(pod, port);
                labels["__meta_kubernetes_service_name"] = (string)service!["name"]!;
                labels["__meta_kubernetes_endpointslice_port_name"] = port.Name;
                labels["__meta_kubernetes_endpointslice_endpoint_conditions_ready"] = "true";
                Meta(labels, "service_label", service["labels"]);
                Meta(labels, "service_annotation", service["annotations"]);
                return Group(labels, pod, port);
            }))),
        _ => throw new InvalidOperationException($"no inventory for the {role} role"),
    };

    private static Dictionary<string, string> PodLabels(JsonNode pod, (string Container, string Name, int Number) port)
    {
        var labels = new Dictionary<string, string>
        {
            ["__meta_kubernetes_namespace"] = (string)pod["namespace"]!,
            ["__meta_kubernetes_pod_name"] = (string)pod["name"]!,
            ["__meta_kubernetes_pod_ip"] = (string)pod["ip"]!,
            ["__meta_kubernetes_pod_ready"] = "true",
            ["__meta_kubernetes_pod_phase"] = "Running",
            ["__meta_kubernetes_pod_container_name"] = port.Container,
            ["__meta_kubernetes_pod_container_port_name"] = port.Name,
            ["__meta_kubernetes_pod_container_port_number"] = port.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["__meta_kubernetes_pod_container_port_protocol"] = "TCP",
        };
        Meta(labels, "pod_label", pod["labels"]);
        Meta(labels, "pod_annotation", pod["annotations"]);
        return labels;
    }

    private static void Meta(Dictionary<string, string> labels, string kind, JsonNode? values)
    {
        foreach (var (key, value) in values?.AsObject() ?? [])
        {
            var name = NotLabelCharacter().Replace(key, "_");
            labels[$"__meta_kubernetes_{kind}_{name}"] = (string)value!;
            labels[$"__meta_kubernetes_{kind}present_{name}"] = "true";
        }
    }

    private static JsonObject Group(Dictionary<string, string> labels, JsonNode pod, (string Container, string Name, int Number) port) => new()
    {
        ["targets"] = new JsonArray($"{(string)pod["ip"]!}:{port.Number}"),
        ["labels"] = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]),
    };

    [GeneratedRegex("[^a-zA-Z0-9_]")]
    private static partial Regex NotLabelCharacter();
}
