using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.AppHost.Mesh;

/// <summary>
/// What the seed lab's users checked by hand, on the link resource: its live probe (central's gateway alive as
/// <c>linkerd multicluster gateways</c> sees it, and the Link still matching central) and the dashboard commands
/// <c>linkerd multicluster check</c> and <c>linkerd multicluster gateways</c>, whose output goes to the resource's log.
/// </summary>
internal sealed class LinkHealth(ClusterSpec remote, ClusterSpec central, LabServices lab, Linkerd linkerd)
{
    public const string CheckCommand = "linkerd-mc-check";
    public const string GatewaysCommand = "linkerd-mc-gateways";

    private readonly LinkInspector _inspector = new(remote, central, lab);

    /// <summary>How long <c>linkerd multicluster check</c> retries checks that are not passing yet.</summary>
    public TimeSpan CheckWait { get; init; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<LabResourceAction> Actions =>
    [
        new(CheckCommand, "Multicluster check", $"Runs `linkerd --context {remote.KubeContext} multicluster check`; the output goes to this resource's log", CheckAsync)
        { IconName = "CheckmarkCircle" },
        new(GatewaysCommand, "Gateways", $"Runs `linkerd --context {remote.KubeContext} multicluster gateways`; the output goes to this resource's log", GatewaysAsync)
        { IconName = "PlugConnected" },
    ];

    public async Task<LabProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var logger = NullLogger.Instance;
        var gateway = await _inspector.GatewayAddressAsync(cancellationToken).ConfigureAwait(false);
        if (gateway is null)
            return LabProbeResult.Fail($"central's gateway {LinkerdNames.MulticlusterNamespace}/{LinkerdNames.Gateway} on {central.Name} has no LoadBalancer address");
        var apiServer = await _inspector.ApiServerAddressAsync(logger, cancellationToken).ConfigureAwait(false);
        if (await _inspector.ProblemAsync(new LinkTarget(gateway, apiServer), cancellationToken).ConfigureAwait(false) is { } problem)
            return LabProbeResult.Fail($"{problem}; Retry on {StepIds.Resource(remote.Name, "link")} links again");

        IReadOnlyList<GatewayStatus> gateways;
        try
        {
            gateways = await linkerd.MulticlusterGatewaysAsync(remote.KubeContext, central.Name, logOutput: false, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolFailedException e)
        {
            return LabProbeResult.Fail($"`linkerd multicluster gateways` failed: {ToolFailedException.Tail(e.Result, 2)}");
        }
        var row = gateways.FirstOrDefault(g => g.Cluster == central.Name);
        if (row is null)
            return LabProbeResult.Fail($"`linkerd multicluster gateways` on {remote.Name} lists no gateway of {central.Name} (is the controller of the link running?)");
        return row.Alive
            ? LabProbeResult.Pass($"gateway of {central.Name} at {gateway}:{LinkerdNames.GatewayPort} alive, latency {row.Latency}, {row.PairedServices} mirrored services")
            : LabProbeResult.Fail($"gateway of {central.Name} at {gateway}:{LinkerdNames.GatewayPort} is not alive (`linkerd multicluster gateways`: ALIVE False); "
                + $"check `kubectl --context {central.KubeContext} -n {LinkerdNames.MulticlusterNamespace} get pods,svc`");
    }

    private async Task<string> CheckAsync(ILogger logger, CancellationToken cancellationToken)
    {
        await linkerd.MulticlusterCheckAsync(remote.KubeContext, CheckWait, logger, cancellationToken).ConfigureAwait(false);
        return $"linkerd multicluster check passed on {remote.Name}";
    }

    private async Task<string> GatewaysAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var gateways = await linkerd.MulticlusterGatewaysAsync(remote.KubeContext, null, logOutput: true, logger, cancellationToken).ConfigureAwait(false);
        return gateways.Count == 0
            ? $"{remote.Name} has no linked gateways"
            : string.Join("; ", gateways.Select(g => g.Alive ? $"{g.Cluster}: alive, latency {g.Latency}" : $"{g.Cluster}: NOT alive"));
    }
}
