namespace LgtmLab.AppHost.Pki;

/// <summary>Where one cluster's Linkerd issuer stands, for the dashboard: when it expires and whether to rotate it.</summary>
/// <param name="ClusterName">The cluster whose identity controller uses this issuer.</param>
/// <param name="CertificatePath">The issuer certificate file in the lab's state folder.</param>
/// <param name="Fingerprint">SHA-256 of the issuer certificate (<see cref="CertificateFingerprint"/>).</param>
/// <param name="NotAfter">When the issuer expires; Linkerd stops issuing workload certificates then.</param>
/// <param name="CheckedAt">The time the status was computed for.</param>
internal sealed record IssuerStatus(string ClusterName, string CertificatePath, string Fingerprint, DateTimeOffset NotAfter, DateTimeOffset CheckedAt)
{
    /// <summary>True once <see cref="NotAfter"/> has passed.</summary>
    public bool IsExpired => CheckedAt >= NotAfter;

    /// <summary>True when the issuer expires within <see cref="LinkerdPki.ExpiryWarningWindow"/> (or already has).</summary>
    public bool ExpiresSoon => NotAfter - CheckedAt <= LinkerdPki.ExpiryWarningWindow;

    /// <summary>What to tell the user when <see cref="ExpiresSoon"/>; null otherwise.</summary>
    public string? Warning => !ExpiresSoon ? null
        : IsExpired
            ? $"The Linkerd issuer of {ClusterName} expired on {NotAfter:yyyy-MM-dd HH:mm} UTC ({CertificatePath}): meshed workloads lose their identity. Fix: rotate the issuers (new issuers signed by the same trust anchor) and upgrade linkerd-control-plane."
            : $"The Linkerd issuer of {ClusterName} expires on {NotAfter:yyyy-MM-dd HH:mm} UTC, in {Math.Max(0, (NotAfter - CheckedAt).TotalDays):0} days ({CertificatePath}). Fix: rotate the issuers (new issuers signed by the same trust anchor) and upgrade linkerd-control-plane.";
}
