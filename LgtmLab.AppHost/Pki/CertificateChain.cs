using System.Security.Cryptography.X509Certificates;

namespace LgtmLab.AppHost.Pki;

/// <summary>Signature-and-constraints checks of the lab's own chains (expiry is reported separately, as a status).</summary>
internal static class CertificateChain
{
    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="root"/> (through
    /// <paramref name="intermediates"/>) with valid signatures and CA constraints, at any time.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root, params X509Certificate2[] intermediates)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested;
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(root.RawData);
    }
}
