using System.Security.Cryptography;
using System.Text;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>A short stable hash of a step's inputs: equal inputs, equal fingerprint, on every machine.</summary>
internal static class Fingerprint
{
    public static string Of(params IEnumerable<(string Name, string Value)> inputs)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in inputs)
            text.Append(name).Append('=').Append(value.Replace("\r\n", "\n", StringComparison.Ordinal)).Append('\0');
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The content of a file as a fingerprint input (line endings normalized).</summary>
    public static string OfFile(string path) => Of(("content", File.ReadAllText(path)));
}
