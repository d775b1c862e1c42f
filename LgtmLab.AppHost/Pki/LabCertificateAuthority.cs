using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Pki;

/// <summary>
/// The lab's own CA for HTTPS (Grafana's ingress) in <c>&lt;state&gt;/pki/lab-ca/</c>: <c>ca.crt/.key</c> made once
/// and reused (users may have told their browser to trust it), and server certificates <c>&lt;name&gt;.crt/.key</c>
/// reissued when their names change, when they no longer chain to the CA, or when they near expiry.
/// </summary>
internal sealed class LabCertificateAuthority
{
    /// <summary>Subject CN of the lab CA.</summary>
    public const string CaCommonName = "LgtmLab local CA";

    /// <summary>Validity of the lab CA.</summary>
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);

    /// <summary>Validity of a server certificate.</summary>
    public static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(365);

    /// <summary>A server certificate this close to expiry is reissued.</summary>
    public static readonly TimeSpan RenewalWindow = TimeSpan.FromDays(30);

    /// <summary>The names Grafana is reached by: the ingress host, and localhost through the kind port mapping.</summary>
    public static readonly IReadOnlyList<string> GrafanaDnsNames = ["grafana.example.com", "localhost"];

    /// <summary>The addresses Grafana is reached by.</summary>
    public static readonly IReadOnlyList<IPAddress> GrafanaIpAddresses = [IPAddress.Loopback];

    private const string CaName = "ca";

    private readonly PemFileStore _store;
    private readonly TimeProvider _clock;

    /// <summary>The CA of the lab whose state folder is <paramref name="stateDirectory"/>.</summary>
    /// <param name="stateDirectory">The lab's state folder (<c>~/.lgtmlab/&lt;lab&gt;</c>).</param>
    /// <param name="clock">The clock for validity and renewal; the system clock when null.</param>
    public LabCertificateAuthority(string stateDirectory, TimeProvider? clock = null)
    {
        _store = new PemFileStore(Path.Combine(stateDirectory, "pki", "lab-ca"));
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The folder holding the CA and its server certificates.</summary>
    public string Directory => _store.Directory;

    /// <summary>The CA certificate file, to import into a browser or pass to <c>curl --cacert</c>.</summary>
    public string CaCertificatePath => _store.CertificatePath(CaName);

    /// <summary>Grafana's certificate: <see cref="GrafanaDnsNames"/> and <see cref="GrafanaIpAddresses"/>.</summary>
    public ServerCertificate EnsureGrafanaCertificate(ILogger logger) =>
        EnsureServerCertificate("grafana", GrafanaDnsNames, GrafanaIpAddresses, logger);

    /// <summary>
    /// The server certificate <paramref name="name"/> for exactly these DNS names (the first is the subject CN)
    /// and IP addresses, creating the CA and the certificate when missing and reissuing the certificate when
    /// its names differ, it does not chain to the CA, or it expires within <see cref="RenewalWindow"/>.
    /// </summary>
    public ServerCertificate EnsureServerCertificate(string name, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> ipAddresses, ILogger logger)
    {
        PkiNames.RequireDnsLabel(name, "Certificate name");
        if (dnsNames.Count == 0)
            throw new ArgumentException($"Server certificate '{name}' needs at least one DNS name.", nameof(dnsNames));
        var wantedDns = dnsNames.Select(n => n.Trim().TrimEnd('.').ToLowerInvariant()).ToList();
        foreach (var dnsName in wantedDns)
            if (Uri.CheckHostName(dnsName) != UriHostNameType.Dns)
                throw new ArgumentException($"'{dnsName}' is not a DNS name. Fix: give host names such as grafana.example.com (IP addresses go in ipAddresses).", nameof(dnsNames));

        using var _ = _store.Open(logger);
        using var ca = ReadOrCreateCa(logger);
        var server = _store.Read(name, ServerFix(name), logger);
        var reason = server is null ? "it did not exist" : ReissueReason(server, ca, wantedDns, ipAddresses);
        if (server is null || reason is not null)
        {
            server?.Dispose();
            server = CertificateFactory.CreateServerCertificate(ca, wantedDns, ipAddresses, ServerLifetime, _clock.GetUtcNow());
            _store.Write(name, server);
            logger.LogInformation("Issued TLS certificate {Name} for {Names} because {Reason}: {Path} ({Fingerprint}, valid until {NotAfter:yyyy-MM-dd}), signed by {Ca}",
                name, string.Join(", ", wantedDns.Concat(ipAddresses.Select(a => a.ToString()))), reason, _store.CertificatePath(name),
                server.Fingerprint, server.Certificate.NotAfter.ToUniversalTime(), CaCertificatePath);
        }
        using (server)
        {
            return new ServerCertificate(name, _store.CertificatePath(name), _store.KeyPath(name), CaCertificatePath,
                server.CertificatePem, server.KeyPem, ca.CertificatePem, server.Fingerprint,
                new DateTimeOffset(server.Certificate.NotAfter.ToUniversalTime()), wantedDns, ipAddresses.ToList());
        }
    }

    private KeyedCertificate ReadOrCreateCa(ILogger logger)
    {
        var ca = _store.Read(CaName, CaFix(), logger);
        if (ca is null)
        {
            var subject = new X500DistinguishedNameBuilder();
            subject.AddCommonName(CaCommonName);
            subject.AddOrganizationName("LgtmLab");
            ca = CertificateFactory.CreateRootCa(subject.Build(), CaLifetime, pathLength: 0, _clock.GetUtcNow());
            _store.Write(CaName, ca);
            logger.LogInformation("Created the lab CA: {Path} ({Fingerprint}, valid until {NotAfter:yyyy-MM-dd}); trust it in a browser to open the lab's HTTPS URLs without a warning",
                CaCertificatePath, ca.Fingerprint, ca.Certificate.NotAfter.ToUniversalTime());
            return ca;
        }
        if (!CertificateChain.ChainsTo(ca.Certificate, ca.Certificate))
        {
            ca.Dispose();
            throw new PkiStateException(CaCertificatePath, $"{CaCertificatePath} is not a self-signed CA certificate. {CaFix()}");
        }
        var notAfter = new DateTimeOffset(ca.Certificate.NotAfter.ToUniversalTime());
        if (notAfter - _clock.GetUtcNow() <= RenewalWindow)
            logger.LogWarning("The lab CA {Path} expires on {NotAfter:yyyy-MM-dd}. Fix: delete {Directory} and run again (then trust the new ca.crt)",
                CaCertificatePath, notAfter, Directory);
        return ca;
    }

    private string? ReissueReason(KeyedCertificate server, KeyedCertificate ca, IReadOnlyList<string> wantedDns, IReadOnlyList<IPAddress> wantedIps)
    {
        if (!CertificateChain.ChainsTo(server.Certificate, ca.Certificate))
            return $"it was not signed by the current lab CA ({ca.Fingerprint})";
        var names = server.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var haveDns = names?.EnumerateDnsNames().Select(n => n.ToLowerInvariant()).ToHashSet() ?? [];
        var haveIps = names?.EnumerateIPAddresses().ToHashSet() ?? [];
        if (!haveDns.SetEquals(wantedDns) || !haveIps.SetEquals(wantedIps))
            return $"its names changed (was {string.Join(", ", haveDns.Concat(haveIps.Select(a => a.ToString())))})";
        if (server.Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) != wantedDns[0])
            return "its subject changed";
        var notAfter = new DateTimeOffset(server.Certificate.NotAfter.ToUniversalTime());
        if (notAfter - _clock.GetUtcNow() <= RenewalWindow)
            return $"it expires on {notAfter:yyyy-MM-dd}";
        return null;
    }

    private string CaFix() =>
        $"Fix: restore ca.crt and ca.key from a backup; or delete {Directory} and run again (a new CA is made: trust the new ca.crt in your browser).";

    private string ServerFix(string name) =>
        $"Fix: delete {_store.CertificatePath(name)} and {_store.KeyPath(name)} and run again; a new certificate is issued by the same lab CA.";
}
