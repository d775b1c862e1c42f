using k8s;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Kubernetes.MetalLb;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Steps;

/// <summary>
/// The cluster's MetalLB L2 pool, carved from the kind Docker network, and the proof that it works: a
/// LoadBalancer probe Service that gets an address from it.
/// </summary>
internal sealed class MetalLbPoolStep(ClusterSpec cluster, LabServices lab) : Step
{
    public const string Namespace = "metallb-system";
    public const string ProbeService = "lgtmlab-lb-probe";
    public const string TemplateName = "metallb-pool.yaml";

    public override string Id => StepIds.MetalLbPool(cluster.Name);
    public override string ResourceName => StepIds.Resource(cluster.Name, "metallb");
    public override IReadOnlyList<string> DependsOn => [StepIds.MetalLb(cluster.Name)];
    public override string? StateCluster => cluster.Name;
    public override TimeSpan Timeout => TimeSpan.FromMinutes(3) + lab.Retry.ReadyTimeout;

    public string PoolName => $"{cluster.Name}-pool";
    private string TemplateFile => lab.Assets.Manifest(TemplateName);

    public override string Fingerprint => Provisioning.Fingerprint.Of(
        ("template", File.ReadAllText(TemplateFile)), ("pool", PoolName), ("index", cluster.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public override async Task<bool> CheckAsync(StepContext context)
    {
        var pool = await PoolAsync(context).ConfigureAwait(false);
        var client = lab.Kubernetes.For(cluster.KubeContext);
        IPAddressPool current;
        try
        {
            current = await client.CustomObjects.GetNamespacedCustomObjectAsync<IPAddressPool>(
                "metallb.io", "v1beta1", Namespace, "ipaddresspools", PoolName, context.CancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.IsNotFound())
        {
            return false;
        }
        return current.Spec.Addresses.SequenceEqual([pool.ToString()])
            && await ProbeAddressAsync(pool, context.CancellationToken).ConfigureAwait(false) is not null;
    }

    public override async Task ApplyAsync(StepContext context)
    {
        var pool = await PoolAsync(context).ConfigureAwait(false);
        var manifest = ManifestTemplate.Render(File.ReadAllText(TemplateFile),
            new Dictionary<string, string> { ["poolName"] = PoolName, ["addresses"] = pool.ToString() }, TemplateFile);
        var file = await ManifestFiles.WriteAsync(lab, cluster.Name, TemplateName, manifest, context.CancellationToken).ConfigureAwait(false);
        await lab.Kubectl.ApplyAsync(cluster.KubeContext, file, context.Logger, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task VerifyAsync(StepContext context)
    {
        var pool = await PoolAsync(context).ConfigureAwait(false);
        await Poll.UntilAsync(token => ProbeAddressAsync(pool, token), lab.Retry.PollInterval, lab.Retry.ReadyTimeout,
            $"the LoadBalancer Service {Namespace}/{ProbeService} got no address from {pool}", context.CancellationToken).ConfigureAwait(false);
    }

    public override string? HintFor(Exception failure) =>
        $"check MetalLB with `kubectl --context {cluster.KubeContext} -n {Namespace} get pods,ipaddresspools,l2advertisements,svc`, then use Retry on {ResourceName}";

    /// <summary>The pool from the kind network as it is now (kind creates the network with the first cluster).</summary>
    public async Task<AddressRange> PoolAsync(StepContext context)
    {
        var subnets = await lab.Docker.NetworkSubnetsAsync(NodeRoutesStep.KindNetwork, context.Logger, context.CancellationToken).ConfigureAwait(false)
            ?? throw new TransientStepException("the kind Docker network does not exist yet");
        if (subnets.Count == 0)
            throw new StepFailedException("the kind Docker network has no IPv4 subnet", "kind needs an IPv4 (or dual-stack) network: `docker network rm kind` after deleting the lab, then run the lab again");
        var network = subnets[0];
        var problems = LoadBalancerPools.Check(lab.Topology, network);
        if (problems.Count > 0)
            throw new StepFailedException(string.Join("; ", problems.Select(p => $"{p.Key}: {p.Problem}")), problems[0].Fix);
        return LoadBalancerPools.For(cluster.Index, network);
    }

    private async Task<string?> ProbeAddressAsync(AddressRange pool, CancellationToken cancellationToken)
    {
        var address = await ClusterQueries.LoadBalancerAddressAsync(lab.Kubernetes.For(cluster.KubeContext), Namespace, ProbeService, cancellationToken).ConfigureAwait(false);
        return address is not null && Ipv4Address.TryParse(address, out var ip) && ip >= pool.First && ip <= pool.Last ? address : null;
    }
}
