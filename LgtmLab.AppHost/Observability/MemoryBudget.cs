using System.Globalization;
using System.Text;
using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Observability;

/// <summary>
/// The lab's memory budget: the requests and limits the lab sets for the LGTM stack and its agents, read from
/// the values files and manifests of lab-assets (the <c>set</c> lines say where), plus estimates for what other
/// parts of the lab run (kind node, MetalLB, Linkerd, TNS). The sum of the limits is what Docker must have, so
/// a user who raises a limit in lab-assets raises what preflight asks of Docker.
/// </summary>
internal sealed class MemoryBudget
{
    /// <summary>The whole default lab (central + one remote, every component on) must fit in this.</summary>
    public const int DefaultLabLimitMiB = 6 * 1024;

    private static bool Always(ComponentOptions _) => true;
    private static bool Lgtm(ComponentOptions c) => c.Lgtm;
    private static bool MeshedLgtm(ComponentOptions c) => c.Lgtm && c.Linkerd;
    private static bool Linkerd(ComponentOptions c) => c.Linkerd;
    private static bool MetalLb(ComponentOptions c) => c.MetalLb;
    private static bool Tns(ComponentOptions c) => c.Tns;
    private static bool MeshedTns(ComponentOptions c) => c.Tns && c.Linkerd;

    private const string ProxyBasis = "Linkerd proxy sidecar, idle with a handful of connections: ~10-20 MiB";

    /// <summary>Every line, central's first; the figures of <c>set</c> lines are placeholders until <see cref="Load"/> reads them.</summary>
    private static readonly IReadOnlyList<MemoryBudgetItem> Lines =
    [
        // ---- central
        Estimate(BudgetScope.Central, "kind node", "kubelet, containerd, API server, etcd, controllers, CoreDNS, kindnet, kube-proxy, local-path", 450, 600,
            "a fresh single-node kind cluster commonly shows ~450-550 MiB in docker stats, more with CRDs and watches", Always),
        Estimate(BudgetScope.Central, "MetalLB", "controller, speaker", 48, 64, "two small Go controllers, ~25 MiB each", MetalLb),
        Estimate(BudgetScope.Central, "Linkerd control plane", "destination, identity, proxy-injector (with their proxies)", 144, 192,
            "three deployments of Go/Rust containers, ~40-60 MiB each with their sidecars", Linkerd),
        Estimate(BudgetScope.Central, "Linkerd viz", "metrics-api, tap, tap-injector, web (with their proxies), no bundled Prometheus", 120, 160,
            "four small deployments; viz reads the cluster's Prometheus instead of running its own", Linkerd),
        Estimate(BudgetScope.Central, "Linkerd multicluster", "gateway (proxy only)", 24, 32, "one proxy", Linkerd),
        Set(BudgetScope.Central, "Traefik", "traefik", "helm/traefik.yaml", "resources", Lgtm),
        Set(BudgetScope.Central, "Mimir", "mimir (-target=all)", "manifests/mimir/mimir.yaml", "StatefulSet/mimir/mimir", Lgtm),
        Set(BudgetScope.Central, "Loki", "loki (single binary)", "helm/loki.yaml", "singleBinary.resources", Lgtm),
        Set(BudgetScope.Central, "Tempo", "tempo (monolithic)", "helm/tempo.yaml", "tempo.resources", Lgtm),
        Estimate(BudgetScope.Central, "Linkerd proxies of Mimir, Loki, Tempo", "3 x linkerd-proxy", 48, 72, ProxyBasis, MeshedLgtm),
        Set(BudgetScope.Central, "Grafana", "grafana", "helm/grafana.yaml", "resources", Lgtm),
        Set(BudgetScope.Central, "Prometheus", "prometheus-server", "helm/prometheus.yaml", "server.resources", Lgtm),
        Set(BudgetScope.Central, "Prometheus", "configmap-reload", "helm/prometheus.yaml", "configmapReload.prometheus.resources", Lgtm),
        Set(BudgetScope.Central, "kube-state-metrics", "kube-state-metrics", "helm/prometheus.yaml", "kube-state-metrics.resources", Lgtm),
        Set(BudgetScope.Central, "Alloy", "alloy", "helm/alloy.yaml", "alloy.resources", Lgtm),
        Set(BudgetScope.Central, "Alloy", "config-reloader", "helm/alloy.yaml", "configReloader.resources", Lgtm),

        // ---- each remote
        Estimate(BudgetScope.EachRemote, "kind node", "kubelet, containerd, API server, etcd, controllers, CoreDNS, kindnet, kube-proxy, local-path", 450, 600,
            "as on central", Always),
        Estimate(BudgetScope.EachRemote, "MetalLB", "controller, speaker", 48, 64, "as on central", MetalLb),
        Estimate(BudgetScope.EachRemote, "Linkerd control plane", "destination, identity, proxy-injector (with their proxies)", 144, 192, "as on central", Linkerd),
        Estimate(BudgetScope.EachRemote, "Linkerd viz", "metrics-api, tap, tap-injector, web (with their proxies), no bundled Prometheus", 120, 160, "as on central", Linkerd),
        Estimate(BudgetScope.EachRemote, "Linkerd multicluster", "service mirror controller for the link to central (with its proxy)", 32, 48,
            "one controller watching central's exported services", Linkerd),
        Set(BudgetScope.EachRemote, "Prometheus", "prometheus-server", "helm/prometheus.yaml", "server.resources", Lgtm),
        Set(BudgetScope.EachRemote, "Prometheus", "configmap-reload", "helm/prometheus.yaml", "configmapReload.prometheus.resources", Lgtm),
        Set(BudgetScope.EachRemote, "kube-state-metrics", "kube-state-metrics", "helm/prometheus.yaml", "kube-state-metrics.resources", Lgtm),
        Set(BudgetScope.EachRemote, "Alloy", "alloy", "helm/alloy.yaml", "alloy.resources", Lgtm),
        Set(BudgetScope.EachRemote, "Alloy", "config-reloader", "helm/alloy.yaml", "configReloader.resources", Lgtm),
        Estimate(BudgetScope.EachRemote, "Linkerd proxies of Prometheus, kube-state-metrics, Alloy", "3 x linkerd-proxy", 48, 72, ProxyBasis, MeshedLgtm),
        Estimate(BudgetScope.EachRemote, "TNS", "app, db, loadgen (.NET)", 192, 288,
            "three small ASP.NET Core services, ~60-90 MiB working set each", Tns),
        Estimate(BudgetScope.EachRemote, "Linkerd proxies of TNS", "3 x linkerd-proxy", 48, 72, ProxyBasis, MeshedTns),
    ];

    private MemoryBudget(IReadOnlyList<MemoryBudgetItem> items) => Items = items;

    /// <summary>Every line, central's first, with the figures lab-assets sets.</summary>
    public IReadOnlyList<MemoryBudgetItem> Items { get; }

    /// <summary>The budget with the requests and limits that <paramref name="assets"/>' values files and manifests set.</summary>
    public static MemoryBudget Load(LabAssets assets) =>
        new([.. Lines.Select(line => line.IsSetByLab ? Read(assets, line) : line)]);

    private static MemoryBudgetItem Read(LabAssets assets, MemoryBudgetItem line)
    {
        var file = assets.PathOf(line.ValuesFile!);
        var (request, limit) = line.ValuesFile!.StartsWith("manifests/", StringComparison.Ordinal)
            ? ContainerResources.FromManifest(file, line.ResourcesPath!)
            : ContainerResources.FromValues(file, line.ResourcesPath!);
        return line with { RequestMiB = request, LimitMiB = limit };
    }

    /// <summary>The budget lines of <paramref name="lab"/>: central's, then each remote's, for the components switched on.</summary>
    public IReadOnlyList<(string Cluster, MemoryBudgetItem Item)> For(LabOptions lab)
    {
        var rows = new List<(string, MemoryBudgetItem)>();
        rows.AddRange(Lines(BudgetScope.Central).Select(i => (lab.Central.Name, i)));
        foreach (var remote in lab.EffectiveRemotes)
            rows.AddRange(Lines(BudgetScope.EachRemote).Select(i => (remote.Name, i)));
        return rows;

        IEnumerable<MemoryBudgetItem> Lines(BudgetScope scope) =>
            Items.Where(i => i.Scope == scope && i.AppliesTo(lab.Components));
    }

    /// <summary>Sum of the memory limits of <paramref name="lab"/>: the Docker memory it needs.</summary>
    public int TotalLimitMiB(LabOptions lab) => For(lab).Sum(r => r.Item.LimitMiB);

    /// <summary>Sum of the memory requests of <paramref name="lab"/>.</summary>
    public int TotalRequestMiB(LabOptions lab) => For(lab).Sum(r => r.Item.RequestMiB);

    /// <summary>The table for docs/memory-budget.md (and the README).</summary>
    public string ToMarkdown(LabOptions lab)
    {
        var text = new StringBuilder();
        text.AppendLine("# Memory budget");
        text.AppendLine();
        text.AppendLine("<!-- Generated from the requests and limits in lab-assets (set lines) and LgtmLab.AppHost/Observability/MemoryBudget.cs (estimates); a test fails when this file is out of date. -->");
        text.AppendLine();
        text.AppendLine(Invariant($"The default lab (central + one remote, every component on) needs **{Gib(TotalLimitMiB(lab))} GiB** of Docker memory by the sum of its memory limits ({TotalLimitMiB(lab)} MiB; the budget is {DefaultLabLimitMiB} MiB = 6 GiB) and requests {TotalRequestMiB(lab)} MiB. Each further remote adds {RemoteLimitMiB(lab)} MiB."));
        text.AppendLine();
        text.AppendLine("*set* lines are the requests and limits the lab sets, read from the values file or manifest named (edit them there; preflight adds them up). *estimate* lines are parts of the lab whose memory other components own (the kind node, MetalLB, Linkerd, TNS): our estimate of their working set (request) and a ceiling (limit), not measured on this machine.");
        text.AppendLine();

        foreach (var cluster in For(lab).Select(r => r.Cluster).Distinct())
        {
            var rows = For(lab).Where(r => r.Cluster == cluster).Select(r => r.Item).ToList();
            text.AppendLine($"## {cluster}");
            text.AppendLine();
            text.AppendLine("| component | container(s) | request MiB | limit MiB | basis |");
            text.AppendLine("|---|---|---:|---:|---|");
            foreach (var item in rows)
            {
                var basis = item.IsSetByLab
                    ? $"set: `lab-assets/{item.ValuesFile}` `{item.ResourcesPath}`"
                    : $"estimate: {item.EstimateBasis}";
                text.AppendLine(Invariant($"| {item.Component} | {item.Container} | {item.RequestMiB} | {item.LimitMiB} | {basis} |"));
            }
            text.AppendLine(Invariant($"| **{cluster} total** | | **{rows.Sum(i => i.RequestMiB)}** | **{rows.Sum(i => i.LimitMiB)}** | |"));
            text.AppendLine();
        }

        text.AppendLine(Invariant($"**Total: requests {TotalRequestMiB(lab)} MiB, limits {TotalLimitMiB(lab)} MiB ({Gib(TotalLimitMiB(lab))} GiB) of {DefaultLabLimitMiB} MiB.**"));
        text.AppendLine();
        text.AppendLine("Notes:");
        text.AppendLine("- Init containers (Grafana's dashboard download, 64 MiB limit) run before the pod's containers and are not added.");
        text.AppendLine("- Mimir, Loki, Tempo and Alloy run with GOMEMLIMIT at 85% of their limit (Grafana's chart sets it to the limit, Prometheus derives its own), so their garbage collector works harder before the kernel would kill them at the limit.");
        text.AppendLine("- Mimir, Loki and Tempo are meshed (so both Linkerd multicluster modes reach them); on remotes the whole observability namespace is meshed (Prometheus and Alloy reach the mirrors, which only accept mTLS clients; kube-state-metrics comes along). Grafana, Traefik and central's agents are not.");
        return text.ToString();
    }

    /// <summary>The README's short table: requests/limits per component on central and on each remote, and the totals.</summary>
    public string ToSummaryMarkdown(LabOptions lab)
    {
        var central = Summed(BudgetScope.Central);
        var remote = Summed(BudgetScope.EachRemote);
        var text = new StringBuilder();
        text.AppendLine("| component | central: request / limit MiB | each remote: request / limit MiB |");
        text.AppendLine("|---|---:|---:|");
        foreach (var component in central.Keys.Concat(remote.Keys).Distinct())
            text.AppendLine($"| {component} | {Cell(central, component)} | {Cell(remote, component)} |");
        text.AppendLine(Invariant($"| **total** | **{central.Values.Sum(v => v.Request)} / {central.Values.Sum(v => v.Limit)}** | **{remote.Values.Sum(v => v.Request)} / {remote.Values.Sum(v => v.Limit)}** |"));
        return text.ToString();

        Dictionary<string, (int Request, int Limit)> Summed(BudgetScope scope) => Items
            .Where(i => i.Scope == scope && i.AppliesTo(lab.Components))
            .GroupBy(i => i.Component)
            .ToDictionary(g => g.Key, g => (g.Sum(i => i.RequestMiB), g.Sum(i => i.LimitMiB)));

        static string Cell(Dictionary<string, (int Request, int Limit)> sums, string component) =>
            sums.TryGetValue(component, out var v) ? Invariant($"{v.Request} / {v.Limit}") : "-";
    }

    private int RemoteLimitMiB(LabOptions lab) =>
        Items.Where(i => i.Scope == BudgetScope.EachRemote && i.AppliesTo(lab.Components)).Sum(i => i.LimitMiB);

    private static string Gib(int mib) => (mib / 1024.0).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static MemoryBudgetItem Set(BudgetScope scope, string component, string container,
        string file, string path, Func<ComponentOptions, bool> appliesTo) =>
        new(scope, component, container, 0, 0, file, path, null, appliesTo);

    private static MemoryBudgetItem Estimate(BudgetScope scope, string component, string container, int request, int limit,
        string basis, Func<ComponentOptions, bool> appliesTo) =>
        new(scope, component, container, request, limit, null, null, basis, appliesTo);
}
