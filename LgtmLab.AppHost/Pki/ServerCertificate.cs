using System.Net;

namespace LgtmLab.AppHost.Pki;

/// <summary>
/// A TLS server certificate from the lab CA, e.g. for Grafana's ingress (a <c>kubernetes.io/tls</c> Secret:
/// <c>tls.crt</c> = <see cref="CertificatePem"/>, <c>tls.key</c> = <see cref="KeyPem"/>). <see cref="ToString"/>
/// names the fingerprint only.
/// </summary>
internal sealed class ServerCertificate
{
    internal ServerCertificate(string name, string certificatePath, string keyPath, string caCertificatePath, string certificatePem,
        string keyPem, string caCertificatePem, string fingerprint, DateTimeOffset notAfter, IReadOnlyList<string> dnsNames,
        IReadOnlyList<IPAddress> ipAddresses)
    {
        Name = name;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        CaCertificatePath = caCertificatePath;
        CertificatePem = certificatePem;
        KeyPem = keyPem;
        CaCertificatePem = caCertificatePem;
        Fingerprint = fingerprint;
        NotAfter = notAfter;
        DnsNames = dnsNames;
        IpAddresses = ipAddresses;
    }

    /// <summary>The certificate's name in the lab CA folder, e.g. <c>grafana</c>.</summary>
    public string Name { get; }

    /// <summary>The certificate file.</summary>
    public string CertificatePath { get; }

    /// <summary>The private key file (0600).</summary>
    public string KeyPath { get; }

    /// <summary>The lab CA certificate file: what a browser or <c>curl --cacert</c> trusts.</summary>
    public string CaCertificatePath { get; }

    /// <summary>The server certificate, PEM.</summary>
    public string CertificatePem { get; }

    /// <summary>The server's private key (SEC1 <c>EC PRIVATE KEY</c> PEM). A secret.</summary>
    public string KeyPem { get; }

    /// <summary>The lab CA certificate, PEM.</summary>
    public string CaCertificatePem { get; }

    /// <summary>SHA-256 of the server certificate.</summary>
    public string Fingerprint { get; }

    /// <summary>When the certificate expires (it is reissued within the renewal window before that).</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>The DNS names it is valid for.</summary>
    public IReadOnlyList<string> DnsNames { get; }

    /// <summary>The IP addresses it is valid for.</summary>
    public IReadOnlyList<IPAddress> IpAddresses { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"TLS certificate {Name} for {string.Join(", ", DnsNames.Concat(IpAddresses.Select(a => a.ToString())))} ({Fingerprint}, until {NotAfter:yyyy-MM-dd})";
}
