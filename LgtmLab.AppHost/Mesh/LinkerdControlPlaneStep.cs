using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Pki;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.AppHost.Mesh;

/// <summary>
/// linkerd-control-plane with the lab's values and the cluster's identity (shared trust anchor, own issuer) from
/// the PKI, passed as a 0600 values file that is deleted once Helm has run. The fingerprint carries the anchor's
/// and the issuer's fingerprints, so rotating the issuer upgrades the release and nothing else does.
/// </summary>
public sealed class LinkerdControlPlaneStep(HelmReleaseSpec spec, LabServices lab, LinkerdPki pki) : Step
{
    private readonly HelmReleaseStep _release = new(spec, lab);
    private (string TrustAnchor, string Issuer)? _identity;

    public override string Id => _release.Id;
    public override string ResourceName => _release.ResourceName;
    public override IReadOnlyList<string> DependsOn => _release.DependsOn;
    public override string? StateCluster => _release.StateCluster;
    public override TimeSpan Timeout => _release.Timeout;
    public override TimeSpan? ReadyBudget => _release.ReadyBudget;
    public override Task<WorkloadDiagnosis?> DiagnoseAsync(StepContext context, Exception failure) => _release.DiagnoseAsync(context, failure);

    /// <summary>Where the identity values file lives while Helm runs.</summary>
    public string SecretsDirectory => Path.Combine(lab.Topology.StateDirectory, "tmp");

    public override string Fingerprint
    {
        get
        {
            var (anchor, issuer) = _identity ?? ReadIdentity(NullLogger.Instance);
            return Provisioning.Fingerprint.Of(("release", _release.Fingerprint), ("trustAnchor", anchor), ("issuer", issuer));
        }
    }

    public override Task<bool> CheckAsync(StepContext context)
    {
        // The issuer may have been rotated since the last run (a dashboard command): read it every time.
        _identity = ReadIdentity(context.Logger);
        return _release.CheckAsync(context);
    }

    public override async Task ApplyAsync(StepContext context)
    {
        var identity = pki.EnsureIdentity(spec.Cluster.Name, context.Logger);
        _identity = (identity.TrustAnchorFingerprint, identity.Issuer.Fingerprint);
        context.Logger.LogInformation("Linkerd identity: trust anchor {Anchor}, issuer {Issuer} (valid until {NotAfter:yyyy-MM-dd})",
            identity.TrustAnchorFingerprint, identity.Issuer.Fingerprint, identity.Issuer.NotAfter);
        using var values = identity.WriteHelmValues(SecretsDirectory);
        var withIdentity = new HelmReleaseStep(spec with { ValuesFiles = [.. spec.ValuesFiles, values.Path] }, lab);
        await withIdentity.ApplyAsync(context).ConfigureAwait(false);
    }

    public override string? HintFor(Exception failure) => _release.HintFor(failure);

    private (string, string) ReadIdentity(ILogger logger)
    {
        var identity = pki.EnsureIdentity(spec.Cluster.Name, logger);
        return (identity.TrustAnchorFingerprint, identity.Issuer.Fingerprint);
    }
}
