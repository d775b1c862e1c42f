using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Steps;

/// <summary>
/// Routes from each node of one cluster to the pod CIDR of every node of the other clusters, via that node's
/// address on the kind network: a flat pod network across clusters (Linkerd's flat mode relies on it).
/// Check reads the routes themselves, so a node restarted by Docker (which loses them) is repaired.
/// </summary>
internal sealed class NodeRoutesStep(ClusterSpec cluster, IReadOnlyList<ClusterSpec> clusters, LabServices lab) : Step
{
    public const string KindNetwork = "kind";

    public override string Id => StepIds.Routes(cluster.Name);
    public override string ResourceName => StepIds.Resource(cluster.Name, "routes");
    public override IReadOnlyList<string> DependsOn => clusters.Select(c => StepIds.Cluster(c.Name)).ToList();
    public override TimeSpan Timeout => TimeSpan.FromMinutes(2);

    private IEnumerable<ClusterSpec> Others => clusters.Where(c => c.Name != cluster.Name);

    public override string Fingerprint =>
        Provisioning.Fingerprint.Of(Others.Select(o => (o.Name, o.PodSubnet.ToString())).Prepend(("cluster", cluster.Name)));

    public override async Task<bool> CheckAsync(StepContext context) =>
        (await MissingRoutesAsync(context).ConfigureAwait(false)).Count == 0;

    public override async Task ApplyAsync(StepContext context)
    {
        foreach (var route in await MissingRoutesAsync(context).ConfigureAwait(false))
        {
            context.Logger.LogInformation("Route on {Node}: {Destination} via {Gateway} ({Cluster})", route.Node, route.Destination, route.Gateway, route.ToCluster);
            await lab.Docker.ReplaceRouteAsync(route.Node, route.Destination, route.Gateway, context.Logger, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task VerifyAsync(StepContext context)
    {
        var missing = await MissingRoutesAsync(context).ConfigureAwait(false);
        if (missing.Count > 0)
            throw new TransientStepException($"routes still missing on {string.Join(", ", missing.Select(r => $"{r.Node} -> {r.Destination}"))}");
    }

    public override string? HintFor(Exception failure) =>
        $"routes are added with `docker exec <node> ip route replace`; check that the nodes of every cluster run (`docker ps --filter label=io.x-k8s.kind.cluster`), then use Retry on {ResourceName}";

    /// <summary>The routes the nodes lack now, read from the nodes themselves (read-only).</summary>
    private async Task<IReadOnlyList<NodeRoute>> MissingRoutesAsync(StepContext context)
    {
        var missing = new List<NodeRoute>();
        foreach (var route in await DesiredRoutesAsync(context).ConfigureAwait(false))
        {
            var current = await lab.Docker.RouteAsync(route.Node, route.Destination, context.Logger, context.CancellationToken).ConfigureAwait(false);
            if (!route.IsSatisfiedBy(current)) missing.Add(route);
        }
        return missing;
    }

    private async Task<IReadOnlyList<NodeRoute>> DesiredRoutesAsync(StepContext context)
    {
        var ownNodes = await lab.Kind.GetNodesAsync(cluster.Name, context.Logger, context.CancellationToken).ConfigureAwait(false);
        var routes = new List<NodeRoute>();
        foreach (var other in Others)
        {
            var nodes = await ClusterQueries.NodesAsync(lab.Kubernetes.For(other.KubeContext), context.CancellationToken).ConfigureAwait(false);
            foreach (var node in nodes)
            {
                if (node.PodCidr is null || !Ipv4Cidr.TryParse(node.PodCidr, out var podCidr, out _))
                    throw new TransientStepException($"node {node.Name} of {other.Name} has no pod CIDR yet");
                var address = await lab.Docker.ContainerAddressAsync(node.Name, KindNetwork, context.Logger, context.CancellationToken).ConfigureAwait(false);
                routes.AddRange(ownNodes.Select(own => new NodeRoute(own, podCidr, address, other.Name)));
            }
        }
        return routes;
    }

    private sealed record NodeRoute(string Node, Ipv4Cidr Destination, string Gateway, string ToCluster)
    {
        /// <summary><c>ip route show 10.21.0.0/24</c> prints e.g. <c>10.21.0.0/24 via 172.18.0.3 dev eth0</c>.</summary>
        public bool IsSatisfiedBy(string ipRouteShow) => ipRouteShow
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Any(line => line.StartsWith(Destination.ToString(), StringComparison.Ordinal) && line.Split(' ').SkipWhile(w => w != "via").Skip(1).FirstOrDefault() == Gateway);
    }
}
