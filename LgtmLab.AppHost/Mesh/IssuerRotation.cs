using System.Globalization;
using LgtmLab.AppHost.Pki;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Mesh;

/// <summary>
/// The dashboard command "Rotate Linkerd issuer" of a cluster's linkerd resource: a new issuer signed by the same
/// trust anchor, then the linkerd-control-plane upgrade that installs it, recorded as the step's new state so the
/// next run finds the lab converged. The identity controller reloads the issuer without a restart; workloads move
/// to it as their certificates renew, and cross-cluster mTLS keeps working because the anchor does not change.
/// </summary>
public sealed class IssuerRotation(HelmReleaseSpec controlPlane, LabServices lab, LinkerdPki pki)
{
    public const string CommandName = "linkerd-rotate-issuer";

    public LabResourceAction Action => new(CommandName, "Rotate Linkerd issuer",
        $"Replaces the Linkerd issuer of {controlPlane.Cluster.Name} (same trust anchor) and upgrades linkerd-control-plane with it", RunAsync)
    {
        Mutates = true,
        ConfirmationMessage = $"Make a new Linkerd issuer for {controlPlane.Cluster.Name} and upgrade linkerd-control-plane? Meshed workloads move to it as their certificates renew.",
        IconName = "ArrowSync",
    };

    public async Task<string> RunAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var cluster = controlPlane.Cluster.Name;
        var issuer = pki.RotateIssuers([cluster], logger).Single();
        var step = new LinkerdControlPlaneStep(controlPlane, lab, pki);
        var context = new StepContext(logger, cancellationToken);
        try
        {
            await step.ApplyAsync(context).ConfigureAwait(false);
            await step.VerifyAsync(context).ConfigureAwait(false);
            await lab.State.WriteAsync(cluster, step.Id, step.Fingerprint, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"The issuer of {cluster} was rotated ({issuer.Fingerprint}), but upgrading linkerd-control-plane failed: {e.Message}. "
                + $"Use Retry on {step.ResourceName} or run the lab again to finish the upgrade.", e);
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"Rotated the Linkerd issuer of {cluster} ({issuer.Fingerprint}, valid until {issuer.NotAfter:yyyy-MM-dd}) and upgraded linkerd-control-plane");
    }
}
