using System.Globalization;

namespace LgtmLab.Tests.Fakes;

/// <summary>IPv4 arithmetic for the fakes: addresses as numbers, CIDRs and ranges.</summary>
internal static class Ipv4
{
    public static uint Parse(string address)
    {
        var parts = address.Trim().Split('.');
        if (parts.Length != 4) throw new FormatException($"'{address}' is not an IPv4 address");
        return parts.Aggregate(0u, (acc, p) => (acc << 8) | byte.Parse(p, CultureInfo.InvariantCulture));
    }

    public static bool TryParse(string address, out uint value)
    {
        try { value = Parse(address); return true; }
        catch (Exception e) when (e is FormatException or OverflowException) { value = 0; return false; }
    }

    public static string Format(uint value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}");

    /// <summary>Network address and prefix length of "a.b.c.d/n".</summary>
    public static (uint Network, int Prefix) ParseCidr(string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash < 0) return (Parse(cidr), 32);
        var prefix = int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture);
        if (prefix is < 0 or > 32) throw new FormatException($"'{cidr}' has an invalid prefix length");
        return (Parse(cidr[..slash]) & Mask(prefix), prefix);
    }

    public static bool IsCidr(string text) => text.Contains('/') && !text.Contains(':');

    public static uint Mask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    public static bool Contains(string cidr, string address)
    {
        var (network, prefix) = ParseCidr(cidr);
        return TryParse(address, out var ip) && (ip & Mask(prefix)) == network;
    }

    /// <summary>The n-th /<paramref name="prefix"/> subnet inside <paramref name="cidr"/> (10.244.0.0/16, 24, 1 -> 10.244.1.0/24).</summary>
    public static string Subnet(string cidr, int prefix, int index)
    {
        var (network, _) = ParseCidr(cidr);
        return $"{Format(network + ((uint)index << (32 - prefix)))}/{prefix}";
    }

    /// <summary>The addresses of a MetalLB-style pool entry: "a.b.c.d-a.b.c.e", "a.b.c.d/n" or one address.</summary>
    public static IEnumerable<string> Expand(string entry)
    {
        if (entry.Contains(':')) yield break;
        uint first, last;
        var dash = entry.IndexOf('-');
        if (dash >= 0) { first = Parse(entry[..dash]); last = Parse(entry[(dash + 1)..]); }
        else
        {
            var (network, prefix) = ParseCidr(entry);
            first = network;
            last = network | ~Mask(prefix);
        }
        for (var ip = first; ip <= last && ip >= first; ip++) yield return Format(ip);
    }
}
