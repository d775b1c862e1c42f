using System.Text;

namespace LgtmLab.TnsSample.Http;

/// <summary>
/// The request headers as weaveworks/common logs them with a failed request: Go's <c>Header.WriteSubset</c>
/// (canonical names, sorted, one line per value) with line breaks replaced by <c>"; "</c>, leaving out Host
/// (Go keeps it apart) and the secrets Cookie, X-Csrf-Token and Authorization.
/// </summary>
internal static class HeaderDump
{
    private static readonly HashSet<string> Excluded = new(StringComparer.Ordinal) { "Host", "Cookie", "X-Csrf-Token", "Authorization" };

    public static string Of(IHeaderDictionary headers)
    {
        var lines = new StringBuilder();
        foreach (var (name, values) in headers.Select(h => (Canonical(h.Key), h.Value)).OrderBy(h => h.Item1, StringComparer.Ordinal))
        {
            if (Excluded.Contains(name))
                continue;
            foreach (var value in values)
                lines.Append(name).Append(": ").Append((value ?? "").Replace('\r', ' ').Replace('\n', ' ').Trim()).Append("; ");
        }
        return lines.ToString();
    }

    /// <summary>Go's <c>CanonicalMIMEHeaderKey</c>: <c>user-agent</c> becomes <c>User-Agent</c>.</summary>
    public static string Canonical(string name)
    {
        var chars = name.ToCharArray();
        var upper = true;
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = upper ? char.ToUpperInvariant(chars[i]) : char.ToLowerInvariant(chars[i]);
            upper = chars[i] == '-';
        }
        return new string(chars);
    }
}
