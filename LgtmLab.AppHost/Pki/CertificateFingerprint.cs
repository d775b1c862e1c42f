using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LgtmLab.AppHost.Pki;

/// <summary>How the lab names a certificate in logs and dashboards: the SHA-256 of its DER encoding.</summary>
internal static class CertificateFingerprint
{
    /// <summary><c>sha256:</c> followed by the lowercase hex SHA-256 of the certificate's DER bytes (what
    /// <c>openssl x509 -noout -fingerprint -sha256</c> prints, without the colons).</summary>
    public static string Of(X509Certificate2 certificate) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
}
