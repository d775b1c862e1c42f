using System.Text;
using System.Text.RegularExpressions;
using LgtmLab.AppHost.Tools;

namespace LgtmLab.AppHost.Diagnostics;

/// <summary>
/// Takes secrets out of everything a diagnostics bundle holds: the values the lab knows are secret (Grafana's admin
/// password), PEM private keys (as text, JSON-escaped or base64 as kubeconfigs carry them), bearer tokens and
/// <c>Authorization</c> headers, service account tokens (JWTs), and the credential fields of kubeconfigs and values
/// (token, password, client-key-data; as YAML or JSON).
/// </summary>
internal sealed partial class BundleRedactor(IReadOnlyList<string> secrets)
{
    public const string Mask = Redaction.Mask;

    /// <summary>Base64 of "-----BEGIN": the start of a base64 PEM (kubeconfig client-key-data, Secret data).</summary>
    private const string Base64PemStart = "LS0tLS1CRUdJTi";

    [GeneratedRegex(@"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)", RegexOptions.Singleline)]
    private static partial Regex PemPrivateKey();

    [GeneratedRegex(@"LS0tLS1CRUdJTi[A-Za-z0-9+/=]*")]
    private static partial Regex Base64Pem();

    [GeneratedRegex(@"(?<key>authorization\s*[:=]\s*)[^\r\n""\\]+", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"(?<key>\bbearer\s+)[A-Za-z0-9\-._~+/=]+", RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<key>""(client-key-data|token|password|adminPassword|admin-password|keyPEM|bearerToken)""\s*:\s*)""(\\.|[^""\\])*""", RegexOptions.IgnoreCase)]
    private static partial Regex JsonCredentialField();

    public string Apply(string text)
    {
        foreach (var secret in secrets)
            if (secret.Length > 0) text = text.Replace(secret, Mask, StringComparison.Ordinal);
        text = PemPrivateKey().Replace(text, $"-----PRIVATE KEY {Mask}-----");
        text = Base64Pem().Replace(text, m => IsPrivateKey(m.Value) ? Mask : m.Value);
        text = AuthorizationHeader().Replace(text, m => m.Groups["key"].Value + Mask);
        text = BearerToken().Replace(text, m => m.Groups["key"].Value + Mask);
        text = Jwt().Replace(text, Mask);
        text = JsonCredentialField().Replace(text, m => m.Groups["key"].Value + $"\"{Mask}\"");
        return Redaction.Apply(text, []);
    }

    /// <summary>Rewrites every file under <paramref name="directory"/> redacted (binary files too: read and written as UTF-8).</summary>
    public async Task ApplyToFilesAsync(string directory, CancellationToken cancellationToken)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            var redacted = Apply(text);
            if (redacted != text) await File.WriteAllTextAsync(file, redacted, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsPrivateKey(string base64)
    {
        var usable = base64.Length - base64.Length % 4;
        try
        {
            return Encoding.ASCII.GetString(Convert.FromBase64String(base64[..usable])).Contains("PRIVATE KEY", StringComparison.Ordinal);
        }
        catch (FormatException)
        {
            return base64.StartsWith(Base64PemStart, StringComparison.Ordinal);
        }
    }
}
