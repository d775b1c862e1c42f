using System.Text.RegularExpressions;

namespace LgtmLab.AppHost.Pki;

/// <summary>Names that become file names in the state folder: DNS labels only, so no name can escape the folder.</summary>
internal static partial class PkiNames
{
    public static void RequireDnsLabel(string value, string what)
    {
        if (!DnsLabel().IsMatch(value))
            throw new ArgumentException(
                $"{what} '{value}' is not a DNS label. Fix: use lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit.",
                nameof(value));
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
