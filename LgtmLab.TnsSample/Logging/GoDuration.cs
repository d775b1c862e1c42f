using System.Globalization;
using System.Text;

namespace LgtmLab.TnsSample.Logging;

/// <summary>A duration printed like Go's <c>time.Duration.String()</c>: <c>1.5374ms</c>, <c>50.2µs</c>, <c>1m30s</c>.</summary>
internal readonly record struct GoDuration(long Nanoseconds)
{
    public static GoDuration From(TimeSpan elapsed) => new(elapsed.Ticks * 100);

    public override string ToString()
    {
        if (Nanoseconds == 0)
            return "0s";
        var negative = Nanoseconds < 0;
        var u = (ulong)Math.Abs(Nanoseconds);
        string text;
        if (u < 1_000_000_000UL)
        {
            text = u switch
            {
                < 1_000UL => u.ToString(CultureInfo.InvariantCulture) + "ns",
                < 1_000_000UL => Fraction(u, 3) + "µs",
                _ => Fraction(u, 6) + "ms",
            };
        }
        else
        {
            var secondsPart = Fraction(u % 60_000_000_000UL, 9);
            var totalMinutes = u / 60_000_000_000UL;
            var sb = new StringBuilder();
            if (totalMinutes > 0)
            {
                var hours = totalMinutes / 60;
                if (hours > 0)
                    sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
                sb.Append((totalMinutes % 60).ToString(CultureInfo.InvariantCulture)).Append('m');
            }
            text = sb.Append(secondsPart).Append('s').ToString();
        }
        return negative ? "-" + text : text;
    }

    // v / 10^digits with the fraction's trailing zeros (and a bare dot) removed, as Go's fmtFrac does.
    private static string Fraction(ulong v, int digits)
    {
        var scale = (ulong)Math.Pow(10, digits);
        var whole = (v / scale).ToString(CultureInfo.InvariantCulture);
        var fraction = (v % scale).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return fraction.Length == 0 ? whole : whole + "." + fraction;
    }
}
