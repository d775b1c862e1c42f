using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using LgtmLab.AppHost.Pki;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Pki;

/// <summary>The lab CA and Grafana's HTTPS certificate (grafana.example.com, localhost, 127.0.0.1).</summary>
public sealed class LabCertificateAuthorityTests : IDisposable
{
    private readonly TemporaryStateDirectory _state = new();

    public void Dispose() => _state.Dispose();

    private string LabCa(string file) => _state.File("pki", "lab-ca", file);

    [Fact]
    public void The_CA_is_a_ten_year_P256_root_that_signs_only_server_certificates()
    {
        var createdAt = DateTimeOffset.UtcNow;
        var grafana = new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(NullLogger.Instance);
        using var ca = X509Certificate2.CreateFromPem(grafana.CaCertificatePem);

        Assert.Equal("CN=LgtmLab local CA, O=LgtmLab", ca.Subject);
        Assert.Equal(ca.Subject, ca.Issuer);
        Assert.Equal("1.2.840.10045.4.3.2", ca.SignatureAlgorithm.Value);
        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints is { Critical: true, CertificateAuthority: true, HasPathLengthConstraint: true, PathLengthConstraint: 0 });
        var usage = ca.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.NotNull(ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier);
        Assert.InRange(new DateTimeOffset(ca.NotAfter.ToUniversalTime()) - createdAt, TimeSpan.FromDays(3649), TimeSpan.FromDays(3650) + TimeSpan.FromMinutes(1));
        Assert.Equal(16, ca.SerialNumberBytes.Length);
    }

    [Fact]
    public void Grafana_certificate_is_a_one_year_server_certificate_for_its_names()
    {
        var createdAt = DateTimeOffset.UtcNow;
        var grafana = new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(NullLogger.Instance);
        using var server = X509Certificate2.CreateFromPem(grafana.CertificatePem);
        using var ca = X509Certificate2.CreateFromPem(grafana.CaCertificatePem);

        Assert.Equal("CN=grafana.example.com", server.Subject);
        Assert.Equal(ca.Subject, server.Issuer);
        var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["grafana.example.com", "localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback], names.EnumerateIPAddresses());
        var constraints = server.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints is { Critical: true, CertificateAuthority: false });
        var usage = server.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        var extendedUsage = server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], extendedUsage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.Equal(Convert.FromHexString(ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier!),
            server.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray());
        Assert.InRange(grafana.NotAfter - createdAt, TimeSpan.FromDays(364), TimeSpan.FromDays(365) + TimeSpan.FromMinutes(1));
        Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", grafana.KeyPem);
        Assert.Equal(LabCa("grafana.crt"), grafana.CertificatePath);
        Assert.Equal(LabCa("ca.crt"), grafana.CaCertificatePath);
    }

    [Theory]
    [InlineData("grafana.example.com")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task A_TLS_client_that_trusts_only_the_lab_CA_accepts_Grafana_at_each_of_its_names(string host)
    {
        var grafana = new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(NullLogger.Instance);

        await HandshakeAsync(grafana, host);
    }

    [Fact]
    public async Task A_TLS_client_rejects_Grafana_s_certificate_for_another_name()
    {
        var grafana = new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(NullLogger.Instance);

        await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeAsync(grafana, "prometheus.example.com"));
    }

    [Fact]
    public void A_later_run_reuses_the_CA_and_certificate_byte_for_byte()
    {
        new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(NullLogger.Instance);
        var before = Directory.GetFiles(_state.File("pki", "lab-ca"), "*.*").ToDictionary(f => f, File.ReadAllBytes);

        var again = new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(NullLogger.Instance);

        foreach (var (file, bytes) in before)
            Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(File.ReadAllText(LabCa("grafana.key")), again.KeyPem);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LabCa("ca.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LabCa("grafana.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_state.File("pki", "lab-ca")));
        }
    }

    [Fact]
    public void Changing_the_names_reissues_the_server_certificate_under_the_same_CA()
    {
        var lab = new LabCertificateAuthority(_state.Path);
        var first = lab.EnsureGrafanaCertificate(NullLogger.Instance);
        var ca = File.ReadAllBytes(LabCa("ca.crt"));
        var logger = new RecordingLogger();

        var renamed = lab.EnsureServerCertificate("grafana", ["grafana.lab.test", "localhost"], [IPAddress.Loopback], logger);

        Assert.Equal(ca, File.ReadAllBytes(LabCa("ca.crt")));
        Assert.NotEqual(first.Fingerprint, renamed.Fingerprint);
        using var server = X509Certificate2.CreateFromPem(renamed.CertificatePem);
        Assert.Equal(["grafana.lab.test", "localhost"], server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.Contains("its names changed", logger.AllText);

        var unchanged = lab.EnsureServerCertificate("grafana", ["grafana.lab.test", "LOCALHOST"], [IPAddress.Loopback], NullLogger.Instance);
        Assert.Equal(renamed.Fingerprint, unchanged.Fingerprint);
    }

    [Fact]
    public void Near_expiry_the_server_certificate_is_reissued_but_the_CA_is_kept()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero));
        var lab = new LabCertificateAuthority(_state.Path, clock);
        var first = lab.EnsureGrafanaCertificate(NullLogger.Instance);
        var ca = File.ReadAllBytes(LabCa("ca.crt"));
        clock.Now = first.NotAfter - TimeSpan.FromDays(20);

        var renewed = lab.EnsureGrafanaCertificate(NullLogger.Instance);

        Assert.NotEqual(first.Fingerprint, renewed.Fingerprint);
        Assert.Equal(clock.Now + LabCertificateAuthority.ServerLifetime, renewed.NotAfter);
        Assert.Equal(ca, File.ReadAllBytes(LabCa("ca.crt")));
    }

    [Fact]
    public void A_CA_key_without_its_certificate_is_an_error_not_a_new_CA()
    {
        new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(NullLogger.Instance);
        File.Delete(LabCa("ca.crt"));

        var error = Assert.Throws<PkiStateException>(() => new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(NullLogger.Instance));

        Assert.Equal(LabCa("ca.crt"), error.Path);
        Assert.Contains("Fix:", error.Message);
        Assert.False(File.Exists(LabCa("ca.crt")));
    }

    [Fact]
    public void A_name_that_is_not_a_host_name_is_rejected_before_any_file_is_written()
    {
        var lab = new LabCertificateAuthority(_state.Path);

        Assert.Throws<ArgumentException>(() => lab.EnsureServerCertificate("grafana", ["127.0.0.1"], [], NullLogger.Instance));
        Assert.Throws<ArgumentException>(() => lab.EnsureServerCertificate("grafana", [], [IPAddress.Loopback], NullLogger.Instance));
        Assert.Throws<ArgumentException>(() => lab.EnsureServerCertificate("../grafana", ["grafana.example.com"], [], NullLogger.Instance));
        Assert.False(Directory.Exists(_state.Path));
    }

    [RequiresToolFact("openssl")]
    public void Openssl_verifies_Grafana_s_certificate_for_TLS_servers_and_its_names()
    {
        var grafana = new LabCertificateAuthority(_state.Path).EnsureGrafanaCertificate(NullLogger.Instance);

        Openssl.Succeed("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", grafana.CaCertificatePath, grafana.CertificatePath);
        var text = Openssl.Succeed("x509", "-in", grafana.CertificatePath, "-noout", "-text",
            "-checkhost", "grafana.example.com", "-checkip", "127.0.0.1");
        Assert.Contains("Hostname grafana.example.com does match certificate", text);
        Assert.Contains("IP 127.0.0.1 does match certificate", text);
        Assert.Contains("DNS:grafana.example.com, DNS:localhost, IP Address:127.0.0.1", text);
        Assert.Contains("TLS Web Server Authentication", text);
        Assert.Contains("X509v3 Key Usage: critical", text);
        Assert.Contains("Digital Signature", text);
        Assert.Contains("CA:FALSE", text);
        var caText = Openssl.Succeed("x509", "-in", grafana.CaCertificatePath, "-noout", "-text");
        Assert.Contains("CA:TRUE, pathlen:0", caText);
    }

    /// <summary>A real TLS handshake on 127.0.0.1: the server presents the certificate, the client trusts only the lab CA.</summary>
    private static async Task HandshakeAsync(ServerCertificate grafana, string host)
    {
        using var serverCertificate = X509Certificate2.CreateFromPem(grafana.CertificatePem, grafana.KeyPem);
        using var ca = X509Certificate2.CreateFromPem(grafana.CaCertificatePem);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var serverSide = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
            await using var tls = new SslStream(accepted.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = serverCertificate }, timeout.Token);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                // The client refused the certificate; the client side reports why.
            }
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var clientTls = new SslStream(client.GetStream());
        var chainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        chainPolicy.CustomTrustStore.Add(ca);
        try
        {
            await clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host, CertificateChainPolicy = chainPolicy }, timeout.Token);
        }
        finally
        {
            client.Close();
            await serverSide;
        }
    }
}
