using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LgtmLab.AppHost.Pki;

/// <summary>
/// Makes the lab's X.509 certificates: ECDSA P-256 keys, SHA-256 signatures, random positive 16-byte serial
/// numbers, critical BasicConstraints and KeyUsage, subject and authority key identifiers.
/// </summary>
internal static class CertificateFactory
{
    /// <summary>NotBefore is set this far in the past: kind nodes in a Docker VM can lag the host clock after a
    /// laptop sleeps, and a certificate that is "not yet valid" there breaks the mesh.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromHours(1);

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>A self-signed CA. <paramref name="pathLength"/> limits how many CAs may sit below it.</summary>
    public static KeyedCertificate CreateRootCa(X500DistinguishedName subject, TimeSpan lifetime, int pathLength, DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(pathLength));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
            var subjectKeyId = new X509SubjectKeyIdentifierExtension(request.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.ShortSha256, critical: false);
            request.CertificateExtensions.Add(subjectKeyId);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKeyId));

            var certificate = request.Create(subject, X509SignatureGenerator.CreateForECDsa(key),
                now - ClockSkewAllowance, now + lifetime, NewSerialNumber());
            return new KeyedCertificate(certificate, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>An intermediate CA signed by <paramref name="issuer"/> that may only sign end-entity certificates (path length 0).</summary>
    public static KeyedCertificate CreateIntermediateCa(KeyedCertificate issuer, X500DistinguishedName subject, TimeSpan lifetime, DateTimeOffset now) =>
        CreateSigned(issuer, subject, lifetime, now, request =>
        {
            request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        });

    /// <summary>A TLS server certificate for the given DNS names and IP addresses, signed by <paramref name="issuer"/>.</summary>
    public static KeyedCertificate CreateServerCertificate(KeyedCertificate issuer, IReadOnlyList<string> dnsNames,
        IReadOnlyList<IPAddress> ipAddresses, TimeSpan lifetime, DateTimeOffset now)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(dnsNames[0]);
        return CreateSigned(issuer, subject.Build(), lifetime, now, request =>
        {
            request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new(ServerAuthOid)], critical: false));
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dnsName in dnsNames)
                names.AddDnsName(dnsName);
            foreach (var address in ipAddresses)
                names.AddIpAddress(address);
            request.CertificateExtensions.Add(names.Build(critical: false));
        });
    }

    private static KeyedCertificate CreateSigned(KeyedCertificate issuer, X500DistinguishedName subject, TimeSpan lifetime,
        DateTimeOffset now, Action<CertificateRequest> addExtensions)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            addExtensions(request);
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.ShortSha256, critical: false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate,
                includeKeyIdentifier: true, includeIssuerAndSerial: false));

            // A certificate must not outlive the one that signed it.
            var notAfter = Min(now + lifetime, issuer.Certificate.NotAfter.ToUniversalTime());
            var notBefore = Max(now - ClockSkewAllowance, issuer.Certificate.NotBefore.ToUniversalTime());
            var certificate = request.Create(issuer.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(issuer.Key),
                notBefore, notAfter, NewSerialNumber());
            return new KeyedCertificate(certificate, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>16 random bytes read as a positive integer of exactly 16 bytes (RFC 5280 allows up to 20).</summary>
    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        if (serial[0] == 0)
            serial[0] = 0x01;
        return serial;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
