using System.Globalization;
using System.Text;

namespace LgtmLab.TnsSample.Http;

/// <summary>Bytes quoted as Go's <c>%q</c> does: a double-quoted string with Go escapes.</summary>
internal static class GoQuote
{
    public static string Bytes(ReadOnlySpan<byte> bytes)
    {
        var quoted = new StringBuilder("\"");
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                quoted.Append(@"\x").Append(bytes[0].ToString("x2", CultureInfo.InvariantCulture));
                bytes = bytes[1..];
                continue;
            }
            bytes = bytes[consumed..];
            switch (rune.Value)
            {
                case '\a': quoted.Append(@"\a"); break;
                case '\b': quoted.Append(@"\b"); break;
                case '\f': quoted.Append(@"\f"); break;
                case '\n': quoted.Append(@"\n"); break;
                case '\r': quoted.Append(@"\r"); break;
                case '\t': quoted.Append(@"\t"); break;
                case '\v': quoted.Append(@"\v"); break;
                case '\\': quoted.Append(@"\\"); break;
                case '"': quoted.Append("\\\""); break;
                case < 0x20 or 0x7F: quoted.Append(@"\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture)); break;
                default:
                    if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned)
                        quoted.Append(rune.Value > 0xFFFF ? @"\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture) : @"\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    else
                        quoted.Append(rune.ToString());
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}
