using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LgtmLab.AppHost.Pki;

/// <summary>A certificate and its private key, as stored in one <c>.crt</c>/<c>.key</c> pair.</summary>
internal sealed class KeyedCertificate(X509Certificate2 certificate, ECDsa key) : IDisposable
{
    public X509Certificate2 Certificate { get; } = certificate;

    public ECDsa Key { get; } = key;

    public string Fingerprint => CertificateFingerprint.Of(Certificate);

    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    /// <summary>SEC1 (<c>EC PRIVATE KEY</c>): the one format every Linkerd version's identity controller reads.</summary>
    public string KeyPem => Key.ExportECPrivateKeyPem() + "\n";

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }

    // Keys must never reach a log through string interpolation.
    public override string ToString() => $"{Certificate.Subject} ({Fingerprint})";
}
