using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LgtmLab.AppHost.Pki;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Pki;

/// <summary>The X.509 details Linkerd (and any strict verifier) depends on, read back from what the PKI stored.</summary>
public sealed class LinkerdCertificateTests : IDisposable
{
    private readonly TemporaryStateDirectory _state = new();
    private readonly LinkerdIdentity _central;
    private readonly LinkerdIdentity _remote;
    private readonly DateTimeOffset _createdAt = DateTimeOffset.UtcNow;

    public LinkerdCertificateTests()
    {
        var pki = new LinkerdPki(_state.Path);
        _central = pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        _remote = pki.EnsureIdentity("lgtm-remote", NullLogger.Instance);
    }

    public void Dispose() => _state.Dispose();

    [Fact]
    public void Trust_anchor_is_a_ten_year_P256_root_named_root_linkerd_cluster_local()
    {
        using var anchor = X509Certificate2.CreateFromPem(_central.TrustAnchorPem);

        Assert.Equal("CN=root.linkerd.cluster.local", anchor.Subject);
        Assert.Equal(anchor.Subject, anchor.Issuer);
        AssertP256WithSha256(anchor);
        var constraints = Extension<X509BasicConstraintsExtension>(anchor);
        Assert.True(constraints.Critical);
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(1, constraints.PathLengthConstraint);
        AssertCaKeyUsage(anchor);
        var subjectKeyId = Extension<X509SubjectKeyIdentifierExtension>(anchor).SubjectKeyIdentifier;
        Assert.False(string.IsNullOrEmpty(subjectKeyId));
        Assert.Equal(Convert.FromHexString(subjectKeyId!), Extension<X509AuthorityKeyIdentifierExtension>(anchor).KeyIdentifier!.Value.ToArray());
        AssertValidity(anchor, TimeSpan.FromDays(3650));
        AssertSerialNumber(anchor);
    }

    [Fact]
    public void Each_issuer_is_a_one_year_intermediate_CA_with_path_length_0_signed_by_the_anchor()
    {
        using var anchor = X509Certificate2.CreateFromPem(_central.TrustAnchorPem);
        foreach (var identity in new[] { _central, _remote })
        {
            using var issuer = X509Certificate2.CreateFromPem(identity.IssuerCertificatePem);
            Assert.Equal("CN=identity.linkerd.cluster.local", issuer.Subject);
            Assert.Equal(anchor.Subject, issuer.Issuer);
            AssertP256WithSha256(issuer);
            var constraints = Extension<X509BasicConstraintsExtension>(issuer);
            Assert.True(constraints.Critical);
            Assert.True(constraints.CertificateAuthority);
            Assert.True(constraints.HasPathLengthConstraint);
            Assert.Equal(0, constraints.PathLengthConstraint);
            AssertCaKeyUsage(issuer);
            Assert.NotNull(Extension<X509SubjectKeyIdentifierExtension>(issuer).SubjectKeyIdentifier);
            Assert.Equal(Convert.FromHexString(Extension<X509SubjectKeyIdentifierExtension>(anchor).SubjectKeyIdentifier!),
                Extension<X509AuthorityKeyIdentifierExtension>(issuer).KeyIdentifier!.Value.ToArray());
            AssertValidity(issuer, TimeSpan.FromDays(365));
            AssertSerialNumber(issuer);
        }
    }

    [Fact]
    public void Both_clusters_share_one_anchor_but_have_their_own_issuer_keys()
    {
        Assert.Equal(_central.TrustAnchorPem, _remote.TrustAnchorPem);
        Assert.NotEqual(_central.IssuerCertificatePem, _remote.IssuerCertificatePem);
        Assert.NotEqual(_central.IssuerKeyPem, _remote.IssuerKeyPem);
        Assert.Equal("lgtm-remote", _remote.ClusterName);
    }

    [Fact]
    public void Issuer_key_is_a_SEC1_EC_private_key_matching_the_issuer_certificate()
    {
        // linkerd2 pkg/tls/codec.go DecodePEMKey: "EC PRIVATE KEY" is read by every Linkerd version
        // (edge-26.8.3 also reads PKCS#8 "PRIVATE KEY"; older releases do not).
        Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----\n", _central.IssuerKeyPem);
        Assert.EndsWith("-----END EC PRIVATE KEY-----\n", _central.IssuerKeyPem);
        using var key = ECDsa.Create();
        key.ImportFromPem(_central.IssuerKeyPem);
        using var issuer = X509Certificate2.CreateFromPem(_central.IssuerCertificatePem);
        using var publicKey = issuer.GetECDsaPublicKey()!;
        Assert.Equal(publicKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_workload_certificate_issued_like_Linkerd_does_chains_to_the_anchor()
    {
        foreach (var identity in new[] { _central, _remote })
        {
            using var leaf = LinkerdWorkloadCertificate.Issue(identity.IssuerCertificatePem, identity.IssuerKeyPem);
            using var chain = ChainTrusting(identity);

            Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.Equal(3, chain.ChainElements.Count);
            Assert.Equal("CN=root.linkerd.cluster.local", chain.ChainElements[2].Certificate.Subject);
        }
    }

    [Fact]
    public void A_workload_certificate_from_one_cluster_is_trusted_by_the_other_through_the_shared_anchor()
    {
        using var leaf = LinkerdWorkloadCertificate.Issue(_remote.IssuerCertificatePem, _remote.IssuerKeyPem);
        using var chain = ChainTrusting(_central);
        using var remoteIssuer = X509Certificate2.CreateFromPem(_remote.IssuerCertificatePem);
        chain.ChainPolicy.ExtraStore.Clear();
        chain.ChainPolicy.ExtraStore.Add(remoteIssuer);

        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void Path_length_0_stops_the_issuer_from_signing_another_CA()
    {
        using var subCa = LinkerdWorkloadCertificate.Issue(_central.IssuerCertificatePem, _central.IssuerKeyPem, asCertificateAuthority: true);
        using var subCaKey = subCa.GetECDsaPrivateKey()!;
        using var leaf = LinkerdWorkloadCertificate.Issue(subCa, subCaKey, "below.the.issuer", asCertificateAuthority: false);
        using var chain = ChainTrusting(_central);
        chain.ChainPolicy.ExtraStore.Add(subCa);

        Assert.False(chain.Build(leaf));
        Assert.Contains(chain.ChainStatus, s => s.Status == X509ChainStatusFlags.InvalidBasicConstraints);
    }

    private static X509Chain ChainTrusting(LinkerdIdentity identity)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(identity.TrustAnchorPem));
        chain.ChainPolicy.ExtraStore.Add(X509Certificate2.CreateFromPem(identity.IssuerCertificatePem));
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain;
    }

    private static T Extension<T>(X509Certificate2 certificate) where T : X509Extension =>
        certificate.Extensions.OfType<T>().SingleOrDefault() ?? throw new Xunit.Sdk.XunitException($"{certificate.Subject} has no {typeof(T).Name}");

    private static void AssertP256WithSha256(X509Certificate2 certificate)
    {
        Assert.Equal("1.2.840.10045.4.3.2", certificate.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        using var key = certificate.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value); // P-256
    }

    private static void AssertCaKeyUsage(X509Certificate2 certificate)
    {
        var usage = Extension<X509KeyUsageExtension>(certificate);
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
    }

    private void AssertValidity(X509Certificate2 certificate, TimeSpan lifetime)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        // NotBefore lies a little in the past (clock skew between the host and the kind nodes), not in the future.
        Assert.InRange(_createdAt - notBefore, TimeSpan.FromMinutes(5), TimeSpan.FromHours(2));
        Assert.InRange(notAfter - _createdAt, lifetime - TimeSpan.FromMinutes(5), lifetime + TimeSpan.FromMinutes(1));
    }

    private static void AssertSerialNumber(X509Certificate2 certificate)
    {
        var serial = certificate.SerialNumberBytes.Span; // big-endian
        Assert.Equal(16, serial.Length);
        Assert.InRange(serial[0], (byte)0x01, (byte)0x7F); // positive, no padding byte
    }
}
