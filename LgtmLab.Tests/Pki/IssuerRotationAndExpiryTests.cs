using System.Security.Cryptography.X509Certificates;
using LgtmLab.AppHost.Pki;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Pki;

/// <summary>Issuers expire after a year: the lab warns 30 days ahead and rotates them under the same anchor.</summary>
public sealed class IssuerRotationAndExpiryTests : IDisposable
{
    private static readonly DateTimeOffset CreatedAt = new(2026, 9, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TemporaryStateDirectory _state = new();
    private readonly FakeClock _clock = new(CreatedAt);

    public void Dispose() => _state.Dispose();

    private string Linkerd(string file) => _state.File("pki", "linkerd", file);

    [Fact]
    public void A_fresh_issuer_expires_in_a_year_and_raises_no_warning()
    {
        var logger = new RecordingLogger();
        var identity = new LinkerdPki(_state.Path, _clock).EnsureIdentity("lgtm-central", logger);

        Assert.Equal(CreatedAt + LinkerdPki.IssuerLifetime, identity.Issuer.NotAfter);
        Assert.False(identity.Issuer.ExpiresSoon);
        Assert.Null(identity.Issuer.Warning);
        Assert.Empty(logger.Messages(LogLevel.Warning));
    }

    [Fact]
    public void Within_30_days_of_expiry_the_status_and_the_log_warn_with_the_fix()
    {
        var pki = new LinkerdPki(_state.Path, _clock);
        var notAfter = pki.EnsureIdentity("lgtm-remote", NullLogger.Instance).Issuer.NotAfter;

        _clock.Now = notAfter - TimeSpan.FromDays(31);
        Assert.False(pki.GetIssuerStatus("lgtm-remote")!.ExpiresSoon);

        _clock.Now = notAfter - TimeSpan.FromDays(29);
        var logger = new RecordingLogger();
        var identity = pki.EnsureIdentity("lgtm-remote", logger);
        var status = pki.GetIssuerStatus("lgtm-remote")!;

        Assert.True(status.ExpiresSoon);
        Assert.False(status.IsExpired);
        Assert.True(identity.Issuer.ExpiresSoon);
        var warning = Assert.Single(logger.Messages(LogLevel.Warning));
        Assert.Contains("lgtm-remote", warning);
        Assert.Contains("in 29 days", warning);
        Assert.Contains("rotate the issuers", warning);
        Assert.Contains(Linkerd("issuer-lgtm-remote.crt"), warning);
    }

    [Fact]
    public void After_expiry_the_status_says_expired()
    {
        var pki = new LinkerdPki(_state.Path, _clock);
        var notAfter = pki.EnsureIdentity("lgtm-remote", NullLogger.Instance).Issuer.NotAfter;
        _clock.Now = notAfter + TimeSpan.FromDays(1);

        var status = pki.GetIssuerStatus("lgtm-remote")!;

        Assert.True(status.IsExpired);
        Assert.Contains("expired on", status.Warning);
    }

    [Fact]
    public void Status_of_a_cluster_without_an_issuer_is_null_and_creates_nothing()
    {
        Assert.Null(new LinkerdPki(_state.Path, _clock).GetIssuerStatus("lgtm-central"));
        Assert.False(Directory.Exists(_state.File("pki")));
    }

    [Fact]
    public void Rotation_gives_new_issuers_under_the_same_anchor_and_leaves_other_clusters_alone()
    {
        var pki = new LinkerdPki(_state.Path, _clock);
        var centralBefore = pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        var remoteBefore = pki.EnsureIdentity("lgtm-remote", NullLogger.Instance);
        var anchorCertificate = File.ReadAllBytes(Linkerd("trust-anchor.crt"));
        var anchorKey = File.ReadAllBytes(Linkerd("trust-anchor.key"));
        _clock.Now = remoteBefore.Issuer.NotAfter - TimeSpan.FromDays(10);
        var logger = new RecordingLogger();

        var statuses = pki.RotateIssuers(["lgtm-remote"], logger);

        Assert.Equal(anchorCertificate, File.ReadAllBytes(Linkerd("trust-anchor.crt")));
        Assert.Equal(anchorKey, File.ReadAllBytes(Linkerd("trust-anchor.key")));
        var remoteAfter = pki.EnsureIdentity("lgtm-remote", NullLogger.Instance);
        Assert.NotEqual(remoteBefore.IssuerCertificatePem, remoteAfter.IssuerCertificatePem);
        Assert.NotEqual(remoteBefore.IssuerKeyPem, remoteAfter.IssuerKeyPem);
        Assert.Equal(remoteBefore.TrustAnchorPem, remoteAfter.TrustAnchorPem);
        Assert.False(remoteAfter.Issuer.ExpiresSoon);
        Assert.Equal(_clock.Now + LinkerdPki.IssuerLifetime, Assert.Single(statuses).NotAfter);
        Assert.Equal(centralBefore.IssuerCertificatePem, pki.EnsureIdentity("lgtm-central", NullLogger.Instance).IssuerCertificatePem);
        var rotated = Assert.Single(logger.Messages(LogLevel.Information));
        Assert.Contains(remoteBefore.Issuer.Fingerprint, rotated);
        Assert.Contains(remoteAfter.Issuer.Fingerprint, rotated);

        // The new issuer still signs workload certificates the other cluster trusts.
        using var leaf = LinkerdWorkloadCertificate.Issue(remoteAfter.IssuerCertificatePem, remoteAfter.IssuerKeyPem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(centralBefore.TrustAnchorPem));
        chain.ChainPolicy.ExtraStore.Add(X509Certificate2.CreateFromPem(remoteAfter.IssuerCertificatePem));
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = DateTime.UtcNow;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid; // the fake clock put the issuer in 2027
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void Rotation_without_an_anchor_fails_and_creates_none()
    {
        var error = Assert.Throws<PkiStateException>(() => new LinkerdPki(_state.Path, _clock).RotateIssuers(["lgtm-central"], NullLogger.Instance));

        Assert.Contains("Rotation never creates an anchor", error.Message);
        Assert.False(File.Exists(Linkerd("trust-anchor.crt")));
        Assert.False(File.Exists(Linkerd("trust-anchor.key")));
        Assert.False(File.Exists(Linkerd("issuer-lgtm-central.crt")));
    }

    [Fact]
    public void An_expired_anchor_is_an_error_with_the_fix_not_a_silent_new_anchor()
    {
        var pki = new LinkerdPki(_state.Path, _clock);
        pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        var anchor = File.ReadAllBytes(Linkerd("trust-anchor.crt"));
        _clock.Now = CreatedAt + LinkerdPki.TrustAnchorLifetime + TimeSpan.FromDays(1);

        var error = Assert.Throws<PkiStateException>(() => pki.EnsureIdentity("lgtm-central", NullLogger.Instance));

        Assert.Contains("expired", error.Message);
        Assert.Contains("reinstall Linkerd on every cluster", error.Message);
        Assert.Equal(anchor, File.ReadAllBytes(Linkerd("trust-anchor.crt")));
    }

    [Fact]
    public void Within_30_days_of_the_anchor_s_expiry_every_run_warns()
    {
        var pki = new LinkerdPki(_state.Path, _clock);
        pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        _clock.Now = CreatedAt + LinkerdPki.TrustAnchorLifetime - TimeSpan.FromDays(20);
        pki.RotateIssuers(["lgtm-central"], NullLogger.Instance);
        var logger = new RecordingLogger();

        pki.EnsureIdentity("lgtm-central", logger);

        Assert.Contains(logger.Messages(LogLevel.Warning), m => m.Contains("trust anchor", StringComparison.Ordinal) && m.Contains("reinstall Linkerd", StringComparison.Ordinal));
    }

    [Fact]
    public void An_issuer_made_near_the_end_of_the_anchor_does_not_outlive_it()
    {
        var pki = new LinkerdPki(_state.Path, _clock);
        pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        _clock.Now = CreatedAt + LinkerdPki.TrustAnchorLifetime - TimeSpan.FromDays(100);

        var status = pki.RotateIssuers(["lgtm-central"], NullLogger.Instance).Single();

        Assert.Equal(CreatedAt + LinkerdPki.TrustAnchorLifetime, status.NotAfter);
    }
}
