using System.Security.Cryptography.X509Certificates;
using LgtmLab.AppHost.Pki;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Pki;

/// <summary>The stored files, judged by the real openssl CLI (not by .NET, which made them).</summary>
public sealed class LinkerdPkiOpensslTests : IDisposable
{
    private readonly TemporaryStateDirectory _state = new();
    private readonly LinkerdPki _pki;
    private readonly LinkerdIdentity _central;

    public LinkerdPkiOpensslTests()
    {
        _pki = new LinkerdPki(_state.Path);
        _central = _pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        _pki.EnsureIdentity("lgtm-remote", NullLogger.Instance);
    }

    public void Dispose() => _state.Dispose();

    private string Anchor => _pki.TrustAnchorCertificatePath;

    private string Issuer(string cluster) => Path.Combine(_pki.Directory, $"issuer-{cluster}.crt");

    [RequiresToolFact("openssl")]
    public void Openssl_verifies_a_Linkerd_style_workload_certificate_through_each_issuer_to_the_anchor()
    {
        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            var issuerKey = File.ReadAllText(Path.Combine(_pki.Directory, $"issuer-{cluster}.key"));
            using var leaf = LinkerdWorkloadCertificate.Issue(File.ReadAllText(Issuer(cluster)), issuerKey);
            var leafPath = _state.File($"leaf-{cluster}.crt");
            File.WriteAllText(leafPath, LinkerdWorkloadCertificate.ToPem(leaf));

            var output = Openssl.Succeed("verify", "-x509_strict", "-CAfile", Anchor, "-untrusted", Issuer(cluster), leafPath);

            Assert.Contains($"{leafPath}: OK", output);
        }
    }

    [RequiresToolFact("openssl")]
    public void Openssl_verifies_each_issuer_against_the_anchor_in_strict_mode()
    {
        Openssl.Succeed("verify", "-x509_strict", "-CAfile", Anchor, Anchor);
        Openssl.Succeed("verify", "-x509_strict", "-CAfile", Anchor, Issuer("lgtm-central"));
        Openssl.Succeed("verify", "-x509_strict", "-CAfile", Anchor, Issuer("lgtm-remote"));
    }

    [RequiresToolFact("openssl")]
    public void Openssl_rejects_a_CA_below_an_issuer_because_of_path_length_0()
    {
        using var subCa = LinkerdWorkloadCertificate.Issue(_central.IssuerCertificatePem, _central.IssuerKeyPem, asCertificateAuthority: true);
        using var subCaKey = subCa.GetECDsaPrivateKey()!;
        using var leaf = LinkerdWorkloadCertificate.Issue(subCa, subCaKey, "below.the.issuer", asCertificateAuthority: false);
        var chainPath = _state.File("untrusted.pem");
        File.WriteAllText(chainPath, _central.IssuerCertificatePem + LinkerdWorkloadCertificate.ToPem(subCa));
        var leafPath = _state.File("below.crt");
        File.WriteAllText(leafPath, LinkerdWorkloadCertificate.ToPem(leaf));

        var (exitCode, output) = Openssl.Run("verify", "-CAfile", Anchor, "-untrusted", chainPath, leafPath);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("path length constraint exceeded", output);
    }

    [RequiresToolFact("openssl")]
    public void Openssl_shows_the_anchor_extensions()
    {
        var text = Openssl.Succeed("x509", "-in", Anchor, "-noout", "-text");

        Assert.Contains("Signature Algorithm: ecdsa-with-SHA256", text);
        Assert.Contains("ASN1 OID: prime256v1", text);
        Assert.Contains("Issuer: CN = root.linkerd.cluster.local", text);
        Assert.Contains("Subject: CN = root.linkerd.cluster.local", text);
        Assert.Contains("X509v3 Basic Constraints: critical", text);
        Assert.Contains("CA:TRUE, pathlen:1", text);
        Assert.Contains("X509v3 Key Usage: critical", text);
        Assert.Contains("Certificate Sign, CRL Sign", text);
        Assert.Contains("X509v3 Subject Key Identifier", text);
        Assert.Contains("X509v3 Authority Key Identifier", text);
    }

    [RequiresToolFact("openssl")]
    public void Openssl_shows_the_issuer_extensions()
    {
        var text = Openssl.Succeed("x509", "-in", Issuer("lgtm-central"), "-noout", "-text");

        Assert.Contains("Signature Algorithm: ecdsa-with-SHA256", text);
        Assert.Contains("ASN1 OID: prime256v1", text);
        Assert.Contains("Issuer: CN = root.linkerd.cluster.local", text);
        Assert.Contains("Subject: CN = identity.linkerd.cluster.local", text);
        Assert.Contains("X509v3 Basic Constraints: critical", text);
        Assert.Contains("CA:TRUE, pathlen:0", text);
        Assert.Contains("X509v3 Key Usage: critical", text);
        Assert.Contains("Certificate Sign, CRL Sign", text);
        Assert.Contains("X509v3 Subject Key Identifier", text);
        Assert.Contains("X509v3 Authority Key Identifier", text);
    }

    [RequiresToolFact("openssl")]
    public void Openssl_reads_each_key_as_a_valid_EC_key_matching_its_certificate()
    {
        foreach (var name in new[] { "trust-anchor", "issuer-lgtm-central", "issuer-lgtm-remote" })
        {
            var key = Path.Combine(_pki.Directory, name + ".key");
            var certificate = Path.Combine(_pki.Directory, name + ".crt");
            Openssl.Succeed("pkey", "-in", key, "-check", "-noout");

            var publicFromKey = Openssl.Succeed("pkey", "-in", key, "-pubout");
            var publicFromCertificate = Openssl.Succeed("x509", "-in", certificate, "-noout", "-pubkey");

            Assert.Equal(publicFromCertificate, publicFromKey);
        }
    }

    [RequiresToolFact("openssl")]
    public void Openssl_fingerprint_matches_the_one_the_lab_logs()
    {
        var output = Openssl.Succeed("x509", "-in", Issuer("lgtm-central"), "-noout", "-fingerprint", "-sha256");

        var hex = output.Trim().Split('=')[1].Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        Assert.Equal("sha256:" + hex, _central.Issuer.Fingerprint);
    }
}
