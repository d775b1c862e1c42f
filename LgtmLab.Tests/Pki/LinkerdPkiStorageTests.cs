using LgtmLab.AppHost.Pki;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Pki;

/// <summary>What lands in the state folder, and what the next run does with it.</summary>
public sealed class LinkerdPkiStorageTests : IDisposable
{
    private readonly TemporaryStateDirectory _state = new();

    public void Dispose() => _state.Dispose();

    private string Linkerd(string file) => _state.File("pki", "linkerd", file);

    [Fact]
    public void A_later_run_reuses_the_same_files_byte_for_byte()
    {
        var first = new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance);
        var files = Directory.GetFiles(_state.File("pki", "linkerd"), "*.*").Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).Order().ToList();
        var before = files.ToDictionary(f => f, f => (Bytes: File.ReadAllBytes(f), Written: File.GetLastWriteTimeUtc(f)));

        var second = new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance);

        Assert.Equal(["issuer-lgtm-central.crt", "issuer-lgtm-central.key", "trust-anchor.crt", "trust-anchor.key"], files.Select(Path.GetFileName));
        foreach (var (file, (bytes, written)) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
            Assert.Equal(written, File.GetLastWriteTimeUtc(file));
        }
        Assert.Equal(first.TrustAnchorPem, second.TrustAnchorPem);
        Assert.Equal(first.IssuerCertificatePem, second.IssuerCertificatePem);
        Assert.Equal(first.IssuerKeyPem, second.IssuerKeyPem);
        Assert.Equal(File.ReadAllText(Linkerd("issuer-lgtm-central.key")), second.IssuerKeyPem);
    }

    [Fact]
    public void Keys_are_0600_certificates_0644_and_folders_0700()
    {
        if (OperatingSystem.IsWindows())
            return;
        new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance);

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(_state.File("pki")));
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(_state.File("pki", "linkerd")));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Linkerd("trust-anchor.key")));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Linkerd("issuer-lgtm-central.key")));
        Assert.Equal(OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Linkerd("trust-anchor.crt")));
    }

    [Fact]
    public void A_key_or_folder_opened_up_by_hand_is_closed_again_with_a_warning()
    {
        if (OperatingSystem.IsWindows())
            return;
        var pki = new LinkerdPki(_state.Path);
        pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        File.SetUnixFileMode(Linkerd("issuer-lgtm-central.key"), OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(_state.File("pki", "linkerd"), PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        var logger = new RecordingLogger();

        pki.EnsureIdentity("lgtm-central", logger);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Linkerd("issuer-lgtm-central.key")));
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(_state.File("pki", "linkerd")));
        Assert.Equal(2, logger.Messages(Microsoft.Extensions.Logging.LogLevel.Warning).Count());
    }

    [Fact]
    public void A_trust_anchor_key_without_its_certificate_is_an_error_naming_the_file_and_never_a_new_anchor()
    {
        new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance);
        var anchorKey = File.ReadAllBytes(Linkerd("trust-anchor.key"));
        File.Delete(Linkerd("trust-anchor.crt"));

        var error = Assert.Throws<PkiStateException>(() => new LinkerdPki(_state.Path).EnsureIdentity("lgtm-remote", NullLogger.Instance));

        Assert.Equal(Linkerd("trust-anchor.crt"), error.Path);
        Assert.Contains(Linkerd("trust-anchor.key"), error.Message);
        Assert.Contains("Fix:", error.Message);
        Assert.False(File.Exists(Linkerd("trust-anchor.crt")));
        Assert.Equal(anchorKey, File.ReadAllBytes(Linkerd("trust-anchor.key")));
        Assert.False(File.Exists(Linkerd("issuer-lgtm-remote.key")), "nothing is half-created after the error");
    }

    [Fact]
    public void A_trust_anchor_certificate_without_its_key_is_an_error()
    {
        new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance);
        File.Delete(Linkerd("trust-anchor.key"));

        var error = Assert.Throws<PkiStateException>(() => new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance));

        Assert.Equal(Linkerd("trust-anchor.key"), error.Path);
        Assert.False(File.Exists(Linkerd("trust-anchor.key")));
    }

    [Fact]
    public void A_missing_anchor_while_issuers_exist_is_an_error_not_a_new_anchor()
    {
        new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance);
        File.Delete(Linkerd("trust-anchor.crt"));
        File.Delete(Linkerd("trust-anchor.key"));

        var error = Assert.Throws<PkiStateException>(() => new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance));

        Assert.Contains("issuer-lgtm-central.crt", error.Message);
        Assert.Contains("restore trust-anchor.crt and trust-anchor.key", error.Message);
        Assert.False(File.Exists(Linkerd("trust-anchor.crt")));
    }

    [Fact]
    public void A_corrupt_certificate_is_an_error_naming_it()
    {
        new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance);
        File.WriteAllText(Linkerd("trust-anchor.crt"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

        var error = Assert.Throws<PkiStateException>(() => new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance));

        Assert.Equal(Linkerd("trust-anchor.crt"), error.Path);
        Assert.Contains("not a valid X.509 certificate", error.Message);
    }

    [Fact]
    public void A_truncated_key_is_an_error_naming_it()
    {
        new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance);
        File.WriteAllText(Linkerd("issuer-lgtm-central.key"), File.ReadAllText(Linkerd("issuer-lgtm-central.key"))[..40]);

        var error = Assert.Throws<PkiStateException>(() => new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance));

        Assert.Equal(Linkerd("issuer-lgtm-central.key"), error.Path);
        Assert.Contains("Fix: delete", error.Message);
    }

    [Fact]
    public void A_key_that_belongs_to_another_certificate_is_an_error()
    {
        var pki = new LinkerdPki(_state.Path);
        pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        pki.EnsureIdentity("lgtm-remote", NullLogger.Instance);
        File.Copy(Linkerd("issuer-lgtm-remote.key"), Linkerd("issuer-lgtm-central.key"), overwrite: true);

        var error = Assert.Throws<PkiStateException>(() => pki.EnsureIdentity("lgtm-central", NullLogger.Instance));

        Assert.Equal(Linkerd("issuer-lgtm-central.key"), error.Path);
        Assert.Contains("is not the private key of", error.Message);
    }

    [Fact]
    public void An_issuer_from_another_anchor_is_an_error_that_rotation_fixes()
    {
        using var otherLab = new TemporaryStateDirectory();
        new LinkerdPki(otherLab.Path).EnsureIdentity("lgtm-central", NullLogger.Instance);
        var pki = new LinkerdPki(_state.Path);
        pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        foreach (var extension in new[] { ".crt", ".key" })
            File.Copy(otherLab.File("pki", "linkerd", "issuer-lgtm-central" + extension), Linkerd("issuer-lgtm-central" + extension), overwrite: true);

        var error = Assert.Throws<PkiStateException>(() => pki.EnsureIdentity("lgtm-central", NullLogger.Instance));
        Assert.Contains("is not signed by the lab's trust anchor", error.Message);
        Assert.Contains("rotate the issuers", error.Message);

        pki.RotateIssuers(["lgtm-central"], NullLogger.Instance);
        var repaired = pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        Assert.Equal(File.ReadAllText(Linkerd("trust-anchor.crt")), repaired.TrustAnchorPem);
    }

    [Fact]
    public void Leftovers_of_an_interrupted_write_are_removed_and_do_not_count_as_files()
    {
        var pki = new LinkerdPki(_state.Path);
        pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        var leftover = Linkerd($".issuer-lgtm-remote.key.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(leftover, "half a key");

        pki.EnsureIdentity("lgtm-remote", NullLogger.Instance);

        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(Linkerd("issuer-lgtm-remote.crt")));
    }

    [Fact]
    public void Clusters_set_up_in_parallel_all_get_the_same_anchor()
    {
        var clusters = new[] { "lgtm-central", "lgtm-remote", "lgtm-remote-2", "lgtm-remote-3" };

        var identities = clusters.AsParallel().WithDegreeOfParallelism(4)
            .Select(cluster => new LinkerdPki(_state.Path).EnsureIdentity(cluster, NullLogger.Instance))
            .ToList();

        Assert.Single(identities.Select(i => i.TrustAnchorPem).Distinct());
        Assert.Equal(File.ReadAllText(Linkerd("trust-anchor.crt")), identities[0].TrustAnchorPem);
        Assert.Equal(4, identities.Select(i => i.IssuerKeyPem).Distinct().Count());
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("Upper")]
    [InlineData("")]
    [InlineData("-leading-dash")]
    public void A_cluster_name_that_is_not_a_DNS_label_is_rejected_before_any_file_is_written(string clusterName)
    {
        var error = Assert.Throws<ArgumentException>(() => new LinkerdPki(_state.Path).EnsureIdentity(clusterName, NullLogger.Instance));

        Assert.Contains("Fix:", error.Message);
        Assert.False(Directory.Exists(_state.Path));
    }

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = OwnerReadWrite | UnixFileMode.UserExecute;
}
