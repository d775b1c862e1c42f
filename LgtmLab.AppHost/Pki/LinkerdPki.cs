using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Pki;

/// <summary>
/// The lab's Linkerd PKI in <c>&lt;state&gt;/pki/linkerd/</c>: one trust anchor shared by every cluster
/// (<c>trust-anchor.crt/.key</c>) and one issuer per cluster (<c>issuer-&lt;cluster&gt;.crt/.key</c>). Made once,
/// reused by every later run. Nothing here ever replaces the anchor: a missing or broken anchor is an error
/// that names the fix, because a new anchor would split the mesh until every cluster is reinstalled.
/// </summary>
internal sealed class LinkerdPki
{
    /// <summary>Subject CN of the trust anchor, as in Linkerd's documentation.</summary>
    public const string TrustAnchorCommonName = "root.linkerd.cluster.local";

    /// <summary>Subject CN of every issuer: <c>identity.&lt;linkerd namespace&gt;.&lt;trust domain&gt;</c>, the name the identity controller expects.</summary>
    public const string IssuerCommonName = "identity.linkerd.cluster.local";

    /// <summary>Validity of the trust anchor.</summary>
    public static readonly TimeSpan TrustAnchorLifetime = TimeSpan.FromDays(3650);

    /// <summary>Validity of an issuer.</summary>
    public static readonly TimeSpan IssuerLifetime = TimeSpan.FromDays(365);

    /// <summary>An issuer closer than this to its expiry gets a warning.</summary>
    public static readonly TimeSpan ExpiryWarningWindow = TimeSpan.FromDays(30);

    private const string TrustAnchorName = "trust-anchor";

    // The anchor may sign CAs (the issuers) but no CA below them, like step's root-ca profile in Linkerd's docs.
    private const int TrustAnchorPathLength = 1;

    private readonly PemFileStore _store;
    private readonly TimeProvider _clock;

    /// <summary>The PKI of the lab whose state folder is <paramref name="stateDirectory"/>.</summary>
    /// <param name="stateDirectory">The lab's state folder (<c>~/.lgtmlab/&lt;lab&gt;</c>).</param>
    /// <param name="clock">The clock for validity and expiry; the system clock when null.</param>
    public LinkerdPki(string stateDirectory, TimeProvider? clock = null)
    {
        _store = new PemFileStore(Path.Combine(stateDirectory, "pki", "linkerd"));
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The folder holding the anchor and the issuers.</summary>
    public string Directory => _store.Directory;

    /// <summary>The trust anchor certificate file (<c>linkerd check</c> and <c>linkerd install --identity-trust-anchors-file</c> take it).</summary>
    public string TrustAnchorCertificatePath => _store.CertificatePath(TrustAnchorName);

    /// <summary>
    /// The trust anchor and <paramref name="clusterName"/>'s issuer, creating whichever does not exist yet
    /// (the anchor only when no issuer exists either). Logs a warning when the issuer expires within
    /// <see cref="ExpiryWarningWindow"/>. Throws <see cref="PkiStateException"/> for partial or broken files.
    /// </summary>
    public LinkerdIdentity EnsureIdentity(string clusterName, ILogger logger)
    {
        PkiNames.RequireDnsLabel(clusterName, "Cluster name");
        using var _ = _store.Open(logger);
        using var anchor = ReadOrCreateAnchor(logger);
        var issuerName = IssuerName(clusterName);
        var issuer = _store.Read(issuerName, IssuerFix(clusterName), logger);
        if (issuer is null)
        {
            issuer = CertificateFactory.CreateIntermediateCa(anchor, IssuerSubject(), IssuerLifetime, _clock.GetUtcNow());
            _store.Write(issuerName, issuer);
            logger.LogInformation("Created the Linkerd issuer of {Cluster}: {Path} ({Fingerprint}, valid until {NotAfter:yyyy-MM-dd})",
                clusterName, _store.CertificatePath(issuerName), issuer.Fingerprint, issuer.Certificate.NotAfter.ToUniversalTime());
        }
        using (issuer)
        {
            RequireIssuerOf(anchor, issuer, clusterName);
            var status = StatusOf(clusterName, issuer);
            if (status.Warning is { } warning)
                logger.LogWarning("{Warning}", warning);
            return new LinkerdIdentity(anchor.CertificatePem, anchor.Fingerprint, issuer.CertificatePem, issuer.KeyPem, status);
        }
    }

    /// <summary>The issuer's expiry status, or null when <paramref name="clusterName"/> has no issuer yet. Creates nothing.</summary>
    public IssuerStatus? GetIssuerStatus(string clusterName)
    {
        PkiNames.RequireDnsLabel(clusterName, "Cluster name");
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        if (!System.IO.Directory.Exists(Directory))
            return null;
        using var _ = _store.Open(logger);
        using var issuer = _store.Read(IssuerName(clusterName), IssuerFix(clusterName), logger);
        return issuer is null ? null : StatusOf(clusterName, issuer);
    }

    /// <summary>
    /// Replaces the issuers of <paramref name="clusterNames"/> with new keys and certificates signed by the
    /// existing trust anchor, which stays byte-for-byte the same. Fails, creating nothing, when there is no
    /// valid anchor. Each cluster then needs a linkerd-control-plane upgrade with its new issuer.
    /// </summary>
    public IReadOnlyList<IssuerStatus> RotateIssuers(IReadOnlyCollection<string> clusterNames, ILogger logger)
    {
        foreach (var clusterName in clusterNames)
            PkiNames.RequireDnsLabel(clusterName, "Cluster name");
        using var _ = _store.Open(logger);
        using var anchor = _store.Read(TrustAnchorName, AnchorFix(), logger)
            ?? throw new PkiStateException(TrustAnchorCertificatePath,
                $"There is no Linkerd trust anchor at {TrustAnchorCertificatePath}, so there is nothing to sign new issuers with. Rotation never creates an anchor. Fix: run the lab once to create the PKI.");
        RequireValidAnchor(anchor);

        var statuses = new List<IssuerStatus>();
        foreach (var clusterName in clusterNames)
        {
            var issuerName = IssuerName(clusterName);
            var previous = FingerprintOfFile(_store.CertificatePath(issuerName));
            using var issuer = CertificateFactory.CreateIntermediateCa(anchor, IssuerSubject(), IssuerLifetime, _clock.GetUtcNow());
            _store.Write(issuerName, issuer);
            logger.LogInformation("Rotated the Linkerd issuer of {Cluster}: {Path} {Previous} -> {Fingerprint} (valid until {NotAfter:yyyy-MM-dd}), signed by trust anchor {Anchor}",
                clusterName, _store.CertificatePath(issuerName), previous ?? "(none)", issuer.Fingerprint,
                issuer.Certificate.NotAfter.ToUniversalTime(), anchor.Fingerprint);
            statuses.Add(StatusOf(clusterName, issuer));
        }
        return statuses;
    }

    private KeyedCertificate ReadOrCreateAnchor(ILogger logger)
    {
        var anchor = _store.Read(TrustAnchorName, AnchorFix(), logger);
        if (anchor is not null)
        {
            try
            {
                RequireValidAnchor(anchor);
                var notAfter = new DateTimeOffset(anchor.Certificate.NotAfter.ToUniversalTime());
                if (notAfter - _clock.GetUtcNow() <= ExpiryWarningWindow)
                    logger.LogWarning("The Linkerd trust anchor {Path} expires on {NotAfter:yyyy-MM-dd}: the mesh stops working then. Fix: delete {Directory} and reinstall Linkerd on every cluster (or delete the clusters) so a new anchor is made",
                        TrustAnchorCertificatePath, notAfter, Directory);
            }
            catch
            {
                anchor.Dispose();
                throw;
            }
            return anchor;
        }

        var orphans = System.IO.Directory.EnumerateFiles(Directory, "issuer-*.*").Order().ToList();
        if (orphans.Count > 0)
            throw new PkiStateException(TrustAnchorCertificatePath,
                $"The Linkerd trust anchor ({TrustAnchorCertificatePath}) is missing but issuers signed by it exist ({string.Join(", ", orphans.Select(Path.GetFileName))}). " +
                "A new anchor would not be trusted by the clusters already installed. " +
                $"Fix: restore trust-anchor.crt and trust-anchor.key from a backup; or, to start a new PKI, delete {Directory} and reinstall Linkerd on every cluster (or delete the clusters).");

        anchor = CertificateFactory.CreateRootCa(AnchorSubject(), TrustAnchorLifetime, TrustAnchorPathLength, _clock.GetUtcNow());
        _store.Write(TrustAnchorName, anchor);
        logger.LogInformation("Created the lab's Linkerd trust anchor: {Path} ({Fingerprint}, valid until {NotAfter:yyyy-MM-dd})",
            TrustAnchorCertificatePath, anchor.Fingerprint, anchor.Certificate.NotAfter.ToUniversalTime());
        return anchor;
    }

    private void RequireValidAnchor(KeyedCertificate anchor)
    {
        if (!CertificateChain.ChainsTo(anchor.Certificate, anchor.Certificate))
            throw new PkiStateException(TrustAnchorCertificatePath,
                $"{TrustAnchorCertificatePath} is not a self-signed CA certificate, so it cannot be Linkerd's trust anchor. {AnchorFix()}");
        var notAfter = new DateTimeOffset(anchor.Certificate.NotAfter.ToUniversalTime());
        if (_clock.GetUtcNow() >= notAfter)
            throw new PkiStateException(TrustAnchorCertificatePath,
                $"The Linkerd trust anchor {TrustAnchorCertificatePath} expired on {notAfter:yyyy-MM-dd}. Fix: delete {Directory} and reinstall Linkerd on every cluster (or delete the clusters) so a new anchor is made.");
    }

    private void RequireIssuerOf(KeyedCertificate anchor, KeyedCertificate issuer, string clusterName)
    {
        var path = _store.CertificatePath(IssuerName(clusterName));
        var basicConstraints = issuer.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (basicConstraints is not { CertificateAuthority: true })
            throw new PkiStateException(path, $"{path} is not a CA certificate, so Linkerd cannot issue workload certificates with it. {IssuerFix(clusterName)}");
        if (!CertificateChain.ChainsTo(issuer.Certificate, anchor.Certificate))
            throw new PkiStateException(path,
                $"{path} is not signed by the lab's trust anchor {TrustAnchorCertificatePath} ({anchor.Fingerprint}). Fix: rotate the issuers (new issuers signed by this anchor), then upgrade linkerd-control-plane.");
    }

    private IssuerStatus StatusOf(string clusterName, KeyedCertificate issuer) =>
        new(clusterName, _store.CertificatePath(IssuerName(clusterName)), issuer.Fingerprint,
            new DateTimeOffset(issuer.Certificate.NotAfter.ToUniversalTime()), _clock.GetUtcNow());

    private string AnchorFix() =>
        $"Fix: restore trust-anchor.crt and trust-anchor.key from a backup; or, if no cluster has Linkerd installed yet (or you will reinstall it everywhere), delete {Directory} and run again.";

    private string IssuerFix(string clusterName) =>
        $"Fix: delete {_store.CertificatePath(IssuerName(clusterName))} and {_store.KeyPath(IssuerName(clusterName))} and run again; a new issuer for {clusterName} is signed by the same trust anchor (then linkerd-control-plane is upgraded).";

    // Rotation also repairs a broken issuer, so an unreadable previous certificate is only named, not an error.
    private static string? FingerprintOfFile(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
            return CertificateFingerprint.Of(certificate);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "(unreadable)";
        }
    }

    private static string IssuerName(string clusterName) => $"issuer-{clusterName}";

    private static X500DistinguishedName AnchorSubject() => CommonName(TrustAnchorCommonName);

    private static X500DistinguishedName IssuerSubject() => CommonName(IssuerCommonName);

    private static X500DistinguishedName CommonName(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        return builder.Build();
    }
}
