using System.Globalization;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Pki;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Mesh;

/// <summary>
/// The dashboard command "Rotate Linkerd issuer" of a cluster's linkerd resource: a new issuer signed by the same
/// trust anchor in the PKI files, and nothing else. The new issuer is an input of the cluster's linkerd-control-plane
/// step (its fingerprint carries the issuer certificate), so the engine then runs that step
/// (<see cref="LabResourceAction.ThenRunSteps"/>) with its retries and progress, and records it as converged.
/// The identity controller reloads the issuer without a restart; workloads move to it as their certificates
/// renew, and cross-cluster mTLS keeps working because the anchor does not change.
/// </summary>
internal sealed class IssuerRotation(ClusterSpec cluster, string controlPlaneStepId, LinkerdPki pki)
{
    public const string CommandName = "linkerd-rotate-issuer";

    public LabResourceAction Action => new(CommandName, "Rotate Linkerd issuer",
        $"Replaces the Linkerd issuer of {cluster.Name} (same trust anchor) and upgrades linkerd-control-plane with it", RunAsync)
    {
        Mutates = true,
        ConfirmationMessage = $"Make a new Linkerd issuer for {cluster.Name} and upgrade linkerd-control-plane? Meshed workloads move to it as their certificates renew.",
        IconName = "ArrowSync",
        ThenRunSteps = [controlPlaneStepId],
    };

    public Task<string> RunAsync(ILogger logger, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var issuer = pki.RotateIssuers([cluster.Name], logger).Single();
        return Task.FromResult(string.Create(CultureInfo.InvariantCulture,
            $"Rotated the Linkerd issuer of {cluster.Name} ({issuer.Fingerprint}, valid until {issuer.NotAfter:yyyy-MM-dd}); linkerd-control-plane is upgraded with it next"));
    }
}
