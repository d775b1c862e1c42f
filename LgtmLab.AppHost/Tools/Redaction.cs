using System.Text.RegularExpressions;

namespace LgtmLab.AppHost.Tools;

/// <summary>Keeps secrets out of logs: declared values, and the credential fields kubeconfigs and tokens carry.</summary>
internal static partial class Redaction
{
    public const string Mask = "***";

    [GeneratedRegex(@"(?<key>(client-key-data|client-certificate-data|token|password|keyPEM)\s*[:=]\s*)(?<value>\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialField();

    public static string Apply(string text, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
            if (secret.Length > 0) text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return CredentialField().Replace(text, m => m.Groups["key"].Value + Mask);
    }
}
