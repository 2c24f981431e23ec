using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tessera.Server.Revocations;

/// <summary>X.509 serial numbers as Tessera records them: upper-case hex, big-endian (<c>X509Certificate2.SerialNumber</c>).</summary>
internal static class SerialNumbers
{
    /// <summary>Normalises an operator-typed serial (any case, optional colons or spaces, optional 0x); false if it is not hex.</summary>
    public static bool TryNormalize(string text, [NotNullWhen(true)] out string? serial)
    {
        serial = null;
        var cleaned = (text ?? string.Empty).Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (cleaned.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            cleaned = cleaned[2..];
        }

        // RFC 5280 §4.1.2.2: at most 20 octets.
        if (cleaned.Length == 0 || cleaned.Length > 40 || !cleaned.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        serial = (cleaned.Length % 2 == 1 ? "0" + cleaned : cleaned).ToUpper(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The serial's bytes, big-endian, for a CRL entry.</summary>
    public static byte[] ToBytes(string serial) => Convert.FromHexString(serial);
}
