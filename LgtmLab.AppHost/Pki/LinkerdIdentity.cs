using System.Text;

namespace LgtmLab.AppHost.Pki;

/// <summary>
/// What linkerd-control-plane needs on one cluster: the lab's shared trust anchor and that cluster's issuer.
/// <see cref="ToString"/> names fingerprints only; the key leaves this object only through
/// <see cref="IssuerKeyPem"/>, <see cref="HelmValuesYaml"/> and <see cref="WriteHelmValues"/>.
/// </summary>
internal sealed class LinkerdIdentity
{
    internal LinkerdIdentity(string trustAnchorPem, string trustAnchorFingerprint, string issuerCertificatePem, string issuerKeyPem, IssuerStatus issuer)
    {
        TrustAnchorPem = trustAnchorPem;
        TrustAnchorFingerprint = trustAnchorFingerprint;
        IssuerCertificatePem = issuerCertificatePem;
        IssuerKeyPem = issuerKeyPem;
        Issuer = issuer;
    }

    /// <summary>The cluster this identity is for.</summary>
    public string ClusterName => Issuer.ClusterName;

    /// <summary>Chart value <c>identityTrustAnchorsPEM</c>: the trust anchor certificate, the same on every cluster.</summary>
    public string TrustAnchorPem { get; }

    /// <summary>SHA-256 of the trust anchor certificate.</summary>
    public string TrustAnchorFingerprint { get; }

    /// <summary>Chart value <c>identity.issuer.tls.crtPEM</c>: this cluster's issuer certificate.</summary>
    public string IssuerCertificatePem { get; }

    /// <summary>Chart value <c>identity.issuer.tls.keyPEM</c>: the issuer's private key (SEC1 <c>EC PRIVATE KEY</c>). A secret.</summary>
    public string IssuerKeyPem { get; }

    /// <summary>The issuer's expiry, for the dashboard.</summary>
    public IssuerStatus Issuer { get; }

    /// <summary>
    /// Writes the three chart values above to a new 0600 values file in <paramref name="directory"/> (created 0700),
    /// for <c>helm upgrade --install linkerd-control-plane -f lab-assets/helm/linkerd-control-plane.yaml -f &lt;this&gt;</c>.
    /// Dispose the result to delete the file once Helm has run.
    /// </summary>
    public SecretValuesFile WriteHelmValues(string directory) =>
        SecretValuesFile.Create(directory, $"linkerd-identity-{ClusterName}", HelmValuesYaml());

    /// <summary>The three chart values above as YAML. Holds the issuer's key: write it only as a 0600 file.</summary>
    public string HelmValuesYaml() =>
        new StringBuilder()
            .Append("identityTrustAnchorsPEM: |\n").Append(Indent(TrustAnchorPem, 2))
            .Append("identity:\n")
            .Append("  issuer:\n")
            .Append("    tls:\n")
            .Append("      crtPEM: |\n").Append(Indent(IssuerCertificatePem, 8))
            .Append("      keyPEM: |\n").Append(Indent(IssuerKeyPem, 8))
            .ToString();

    /// <inheritdoc/>
    public override string ToString() =>
        $"Linkerd identity of {ClusterName}: trust anchor {TrustAnchorFingerprint}, issuer {Issuer.Fingerprint} (until {Issuer.NotAfter:yyyy-MM-dd})";

    private static string Indent(string pem, int spaces)
    {
        var indent = new string(' ', spaces);
        var builder = new StringBuilder();
        foreach (var line in pem.TrimEnd('\n').Split('\n'))
            builder.Append(indent).Append(line.TrimEnd('\r')).Append('\n');
        return builder.ToString();
    }
}
