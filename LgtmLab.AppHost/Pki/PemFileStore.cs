using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Pki;

/// <summary>
/// One folder of certificate/key pairs, <c>name.crt</c> (0644) and <c>name.key</c> (0600), in a 0700 folder.
/// A pair is written as two temporary files renamed into place key first, certificate last: an interruption
/// leaves the old pair, the new pair, or (only between the two renames) a key whose certificate is missing,
/// which <see cref="Read"/> reports rather than papering over.
/// </summary>
internal sealed class PemFileStore(string directory)
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public string Directory { get; } = directory;

    public string CertificatePath(string name) => Path.Combine(Directory, name + ".crt");

    public string KeyPath(string name) => Path.Combine(Directory, name + ".key");

    /// <summary>Creates the folder if needed and holds an exclusive lock on it (across threads and processes)
    /// until disposed, so two clusters' steps never both create "the" trust anchor.</summary>
    public IDisposable Open(ILogger logger)
    {
        PrivateFiles.EnsureDirectory(Directory, logger);
        var lockPath = Path.Combine(Directory, ".lock");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                DeleteLeftoverTemporaryFiles();
                return held;
            }
            catch (IOException) when (waited.Elapsed < LockTimeout)
            {
                Thread.Sleep(20);
            }
            catch (IOException ex)
            {
                throw new PkiStateException(lockPath,
                    $"{lockPath} has been locked by another LgtmLab run for {LockTimeout.TotalSeconds:0} s. Fix: let the other run finish or stop it, then run again.", ex);
            }
        }
    }

    /// <summary>
    /// The stored pair, or null when neither file exists. A pair with one file missing, an unreadable file, a key
    /// that is not ECDSA P-256 or that does not belong to the certificate throws, with <paramref name="fix"/>.
    /// </summary>
    public KeyedCertificate? Read(string name, string fix, ILogger logger)
    {
        var certificatePath = CertificatePath(name);
        var keyPath = KeyPath(name);
        var hasCertificate = File.Exists(certificatePath);
        var hasKey = File.Exists(keyPath);
        if (!hasCertificate && !hasKey)
            return null;
        if (!hasCertificate)
            throw new PkiStateException(certificatePath,
                $"{keyPath} exists but its certificate {certificatePath} does not (a deleted file or an interrupted write). {fix}");
        if (!hasKey)
            throw new PkiStateException(keyPath, $"{certificatePath} exists but its private key {keyPath} does not. {fix}");

        PrivateFiles.TightenOwnerOnlyFile(keyPath, logger);
        var certificate = ReadCertificate(certificatePath, fix);
        ECDsa? key = null;
        try
        {
            key = ReadKey(keyPath, fix);
            var certificateKey = certificate.GetECDsaPublicKey()
                ?? throw new PkiStateException(certificatePath, $"{certificatePath} does not hold an ECDSA public key. {fix}");
            using (certificateKey)
            {
                if (!certificateKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
                    throw new PkiStateException(keyPath, $"{keyPath} is not the private key of {certificatePath}. {fix}");
            }
            return new KeyedCertificate(certificate, key);
        }
        catch
        {
            certificate.Dispose();
            key?.Dispose();
            throw;
        }
    }

    /// <summary>Stores (or replaces) a pair; see the class comment for the order of the renames.</summary>
    public void Write(string name, KeyedCertificate pair)
    {
        string? keyTemporary = null, certificateTemporary = null;
        try
        {
            keyTemporary = PrivateFiles.WriteTemporarySibling(KeyPath(name), pair.KeyPem, PrivateFiles.OwnerOnlyFile);
            certificateTemporary = PrivateFiles.WriteTemporarySibling(CertificatePath(name), pair.CertificatePem, PrivateFiles.PublicFile);
            File.Move(keyTemporary, KeyPath(name), overwrite: true);
            keyTemporary = null;
            File.Move(certificateTemporary, CertificatePath(name), overwrite: true);
            certificateTemporary = null;
        }
        finally
        {
            if (keyTemporary is not null)
                File.Delete(keyTemporary);
            if (certificateTemporary is not null)
                File.Delete(certificateTemporary);
        }
    }

    private void DeleteLeftoverTemporaryFiles()
    {
        foreach (var leftover in System.IO.Directory.EnumerateFiles(Directory, ".*.tmp"))
            File.Delete(leftover);
    }

    private static X509Certificate2 ReadCertificate(string path, string fix)
    {
        var text = File.ReadAllText(path);
        var blocks = new List<byte[]>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
                blocks.Add(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
            rest = rest[fields.Location.End..];
        }
        if (blocks.Count != 1)
            throw new PkiStateException(path, $"{path} should hold exactly one PEM certificate but holds {blocks.Count}. {fix}");
        try
        {
            return X509CertificateLoader.LoadCertificate(blocks[0]);
        }
        catch (CryptographicException ex)
        {
            throw new PkiStateException(path, $"{path} is not a valid X.509 certificate ({ex.Message}). {fix}", ex);
        }
    }

    private static ECDsa ReadKey(string path, string fix)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            var curve = key.ExportParameters(includePrivateParameters: false).Curve;
            if (!curve.IsNamed || curve.Oid.Value != P256Oid)
                throw new PkiStateException(path, $"{path} is not an ECDSA P-256 key. {fix}");
            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            // The exception text never contains key material; the file's content is not echoed.
            throw new PkiStateException(path, $"{path} is not a PEM EC private key ({ex.Message}). {fix}", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
