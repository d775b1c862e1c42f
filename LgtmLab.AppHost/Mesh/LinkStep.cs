using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Mesh;

/// <summary>
/// The Linkerd multicluster link from a remote to central: <c>linkerd --context kind-&lt;central&gt; multicluster
/// link-gen</c> with central's API server address on the kind network, piped into <c>kubectl apply -f -</c> on the
/// remote (the output holds a bearer token: it never touches a file or the log). Done when the remote's Link
/// points at central's gateway with central's current credentials, so a healthy link is never re-created.
/// </summary>
internal sealed class LinkStep(ClusterSpec remote, ClusterSpec central, LabServices lab, Linkerd linkerd) : Step
{
    private readonly LinkInspector _inspector = new(remote, central, lab);

    public override string Id => StepIds.Link(remote.Name);
    public override string ResourceName => StepIds.Resource(remote.Name, "link");
    public override IReadOnlyList<string> DependsOn =>
        [StepIds.Release(central.Name, "linkerd-multicluster"), StepIds.Release(remote.Name, "linkerd-multicluster")];
    public override string? StateCluster => remote.Name;
    public override TimeSpan Timeout => TimeSpan.FromMinutes(2) + 2 * lab.Retry.ReadyTimeout;

    /// <summary>Only the target: central's gateway and API server addresses are observed, not inputs, and Check
    /// compares the Link with them as they are now.</summary>
    public override string Fingerprint => Provisioning.Fingerprint.Of(("target", central.Name));

    public override async Task<bool> CheckAsync(StepContext context)
    {
        var target = await TargetAsync(context).ConfigureAwait(false);
        var problem = await _inspector.ProblemAsync(target, context.CancellationToken).ConfigureAwait(false);
        if (problem is not null) context.Logger.LogInformation("Link to {Central}: {Problem}", central.Name, problem);
        return problem is null;
    }

    public override async Task ApplyAsync(StepContext context)
    {
        var target = await TargetAsync(context).ConfigureAwait(false);
        var manifest = await linkerd.MulticlusterLinkGenAsync(central.KubeContext, central.Name, target.ApiServerAddress, context.Logger, context.CancellationToken)
            .ConfigureAwait(false);
        context.Logger.LogInformation("link-gen made the Link to {Central} (gateway {Gateway}, API server {ApiServer}) and its credentials; applying them to {Remote} through stdin (not shown: they hold a bearer token)",
            central.Name, target.GatewayAddress, target.ApiServerAddress, remote.Name);
        await lab.Kubectl.ApplyFromStandardInputAsync(remote.KubeContext, manifest, context.Logger, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task VerifyAsync(StepContext context)
    {
        var target = await TargetAsync(context).ConfigureAwait(false);
        await Poll.UntilAsync(async token => await _inspector.ProblemAsync(target, token).ConfigureAwait(false) is null ? "linked" : null,
            lab.Retry.PollInterval, lab.Retry.ReadyTimeout, $"the Link from {remote.Name} to {central.Name} did not match central", context.CancellationToken).ConfigureAwait(false);
    }

    public override string? HintFor(Exception failure) =>
        $"check central's gateway with `kubectl --context {central.KubeContext} -n {LinkerdNames.MulticlusterNamespace} get svc,pods` and the link with "
        + $"`linkerd --context {remote.KubeContext} multicluster check`, then use Retry on {ResourceName}";

    private async Task<LinkTarget> TargetAsync(StepContext context)
    {
        var gateway = await Poll.UntilAsync(_inspector.GatewayAddressAsync, lab.Retry.PollInterval, lab.Retry.ReadyTimeout,
            $"central's gateway {LinkerdNames.MulticlusterNamespace}/{LinkerdNames.Gateway} got no LoadBalancer address (is MetalLB's pool on {central.Name} working?)",
            context.CancellationToken).ConfigureAwait(false);
        var apiServer = await _inspector.ApiServerAddressAsync(context.Logger, context.CancellationToken).ConfigureAwait(false);
        return new LinkTarget(gateway, apiServer);
    }
}
