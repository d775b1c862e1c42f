using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LgtmLab.Tests.Pki;

/// <summary>
/// Issues a workload certificate the way Linkerd's identity controller does (linkerd2 pkg/tls/ca.go at
/// edge-26.8.3: P-256 key, ECDSA-SHA256, KeyUsage digitalSignature+keyEncipherment, EKU serverAuth+clientAuth,
/// DNS SAN &lt;sa&gt;.&lt;ns&gt;.serviceaccount.identity.linkerd.cluster.local, 24 h, AKI from the issuer),
/// signed with the issuer certificate and key exactly as the PKI hands them to the chart.
/// </summary>
internal static class LinkerdWorkloadCertificate
{
    /// <summary>A workload certificate (with its private key) signed by the issuer given as PEM.</summary>
    public static X509Certificate2 Issue(string issuerCertificatePem, string issuerKeyPem, string serviceAccount = "default", string ns = "tns",
        bool asCertificateAuthority = false)
    {
        using var issuerKey = ECDsa.Create();
        issuerKey.ImportFromPem(issuerKeyPem);
        using var issuer = X509Certificate2.CreateFromPem(issuerCertificatePem);
        return Issue(issuer, issuerKey, $"{serviceAccount}.{ns}.serviceaccount.identity.linkerd.cluster.local", asCertificateAuthority);
    }

    /// <summary>A certificate (with its private key) for <paramref name="name"/> signed by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 Issue(X509Certificate2 issuer, ECDsa issuerKey, string name, bool asCertificateAuthority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        if (asCertificateAuthority)
        {
            request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority());
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        }
        else
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new("1.3.6.1.5.5.7.3.1"), new("1.3.6.1.5.5.7.3.2")], critical: false));
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(name);
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), now.AddSeconds(-20), now.AddHours(24),
            RandomNumberGenerator.GetBytes(8));
        return certificate.CopyWithPrivateKey(key);
    }

    public static string ToPem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";
}
