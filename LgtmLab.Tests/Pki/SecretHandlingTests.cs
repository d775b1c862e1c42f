using LgtmLab.AppHost.Pki;
using Microsoft.Extensions.Logging.Abstractions;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Pki;

/// <summary>Private keys reach Helm through a 0600 file and nowhere else: not logs, not ToString, not error messages.</summary>
public sealed class SecretHandlingTests : IDisposable
{
    private readonly TemporaryStateDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public void Logs_name_paths_and_fingerprints_but_never_key_material()
    {
        var logger = new RecordingLogger();
        var pki = new LinkerdPki(_state.Path);
        var central = pki.EnsureIdentity("lgtm-central", logger);
        var remote = pki.EnsureIdentity("lgtm-remote", logger);
        pki.RotateIssuers(["lgtm-remote"], logger);
        var grafana = new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(logger);
        var rotatedRemote = pki.EnsureIdentity("lgtm-remote", logger);

        var log = logger.AllText;
        Assert.Contains(pki.TrustAnchorCertificatePath, log);
        Assert.Contains(central.TrustAnchorFingerprint, log);
        Assert.Contains(central.Issuer.Fingerprint, log);
        Assert.Contains(grafana.Fingerprint, log);
        AssertNoKeyMaterial(log, central.IssuerKeyPem, remote.IssuerKeyPem, rotatedRemote.IssuerKeyPem, grafana.KeyPem,
            File.ReadAllText(_state.File("pki", "linkerd", "trust-anchor.key")), File.ReadAllText(_state.File("pki", "lab-ca", "ca.key")));
    }

    [Fact]
    public void ToString_of_what_the_PKI_returns_shows_no_key()
    {
        var identity = new LinkerdPki(_state.Path).EnsureIdentity("lgtm-central", NullLogger.Instance);
        var grafana = new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(NullLogger.Instance);

        Assert.Contains(identity.Issuer.Fingerprint, identity.ToString());
        AssertNoKeyMaterial(identity.ToString(), identity.IssuerKeyPem);
        AssertNoKeyMaterial(identity.Issuer.ToString(), identity.IssuerKeyPem);
        Assert.Contains(grafana.Fingerprint, grafana.ToString());
        AssertNoKeyMaterial(grafana.ToString(), grafana.KeyPem);
    }

    [Fact]
    public void An_error_about_a_broken_key_does_not_echo_the_key()
    {
        var pki = new LinkerdPki(_state.Path);
        var identity = pki.EnsureIdentity("lgtm-central", NullLogger.Instance);
        var keyPath = _state.File("pki", "linkerd", "issuer-lgtm-central.key");
        var damaged = identity.IssuerKeyPem.Replace("-----END EC PRIVATE KEY-----", "", StringComparison.Ordinal);
        File.WriteAllText(keyPath, damaged);

        var error = Assert.Throws<PkiStateException>(() => pki.EnsureIdentity("lgtm-central", NullLogger.Instance));

        AssertNoKeyMaterial(error.ToString(), identity.IssuerKeyPem);
    }

    [Fact]
    public void Helm_values_file_is_0600_holds_the_three_chart_values_and_is_deleted_after_use()
    {
        var identity = new LinkerdPki(_state.Path).EnsureIdentity("lgtm-remote", NullLogger.Instance);
        var directory = _state.File("tmp");
        string path;

        using (var values = identity.WriteHelmValues(directory))
        {
            path = values.Path;
            Assert.StartsWith(directory, path);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            }
            var yaml = new YamlStream();
            yaml.Load(new StringReader(File.ReadAllText(path)));
            var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
            Assert.Equal(identity.TrustAnchorPem, Scalar(root, "identityTrustAnchorsPEM"));
            Assert.Equal(identity.IssuerCertificatePem, Scalar(root, "identity", "issuer", "tls", "crtPEM"));
            Assert.Equal(identity.IssuerKeyPem, Scalar(root, "identity", "issuer", "tls", "keyPEM"));
        }

        Assert.False(File.Exists(path));
    }

    private static string Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
            current = ((YamlMappingNode)current).Children[new YamlScalarNode(key)];
        return ((YamlScalarNode)current).Value!;
    }

    /// <summary>No PEM key header, and none of the base64 lines of any of the keys.</summary>
    internal static void AssertNoKeyMaterial(string text, params string[] keyPems)
    {
        Assert.DoesNotContain("PRIVATE KEY", text);
        foreach (var keyPem in keyPems)
            foreach (var line in keyPem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)))
                Assert.DoesNotContain(line, text);
    }
}
