using System.Globalization;

namespace LgtmLab.AppHost.Configuration;

/// <summary>An IPv4 network in CIDR notation, e.g. <c>10.11.0.0/16</c>.</summary>
internal readonly record struct Ipv4Cidr(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
    public uint First => Network;
    public uint Last => Network | ~Mask;

    public bool Contains(uint address) => (address & Mask) == Network;
    public bool Contains(Ipv4Cidr other) => other.PrefixLength >= PrefixLength && Contains(other.Network);
    public bool Overlaps(Ipv4Cidr other) => Contains(other.Network) || other.Contains(Network);

    public override string ToString() => $"{Ipv4Address.Format(Network)}/{PrefixLength}";

    public static Ipv4Cidr Parse(string text) =>
        TryParse(text, out var cidr, out var problem) ? cidr : throw new FormatException(problem);

    /// <summary>Parses <c>a.b.c.d/n</c>; the address must be the network's first address.</summary>
    public static bool TryParse(string? text, out Ipv4Cidr cidr, out string problem)
    {
        cidr = default;
        var parts = (text ?? "").Trim().Split('/');
        if (parts.Length != 2 || !Ipv4Address.TryParse(parts[0], out var address)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            problem = $"'{text}' is not an IPv4 CIDR like 10.11.0.0/16";
            return false;
        }
        var candidate = new Ipv4Cidr(address, prefix);
        if ((address & candidate.Mask) != address)
        {
            var aligned = new Ipv4Cidr(address & candidate.Mask, prefix);
            problem = $"'{text}' has host bits set; the network is {aligned}";
            return false;
        }
        cidr = candidate;
        problem = "";
        return true;
    }
}

/// <summary>IPv4 addresses as 32-bit numbers, so CIDR arithmetic is plain integer arithmetic.</summary>
internal static class Ipv4Address
{
    public static string Format(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}");

    public static bool TryParse(string text, out uint address)
    {
        address = 0;
        var octets = text.Split('.');
        if (octets.Length != 4) return false;
        foreach (var octet in octets)
        {
            if (octet.Length is 0 or > 3 || !byte.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                return false;
            address = (address << 8) | value;
        }
        return true;
    }

    public static uint Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv4 address");
}
