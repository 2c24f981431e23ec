using System.Buffers.Text;

namespace Tessera.Spiffe.Bundles.Internal;

/// <summary>
/// Strict base64url (RFC 4648 §5) as JOSE uses it (RFC 7515 §2): the URL-safe alphabet only, no padding,
/// no whitespace, and the canonical encoding only (unused trailing bits must be zero).
/// </summary>
/// <remarks>
/// <see cref="Base64Url"/> alone is too lenient for a security boundary: it accepts padding and skips
/// whitespace, so several strings would decode to the same bytes. Accepting only the canonical form
/// means a token or key has exactly one spelling.
/// </remarks>
internal static class Base64UrlStrict
{
    /// <summary>Decodes <paramref name="text"/>, returning false when it is not canonical unpadded base64url.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsAlphabet(c))
            {
                return false;
            }
        }

        var decoded = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (Base64Url.DecodeFromChars(text, decoded, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != text.Length)
        {
            return false;
        }

        decoded = decoded.AsSpan(0, written).ToArray();

        // Round-trip to reject non-zero unused bits ("AB" and "AC" would otherwise both decode to 0x00).
        if (!text.SequenceEqual(Base64Url.EncodeToString(decoded)))
        {
            return false;
        }

        bytes = decoded;
        return true;
    }

    /// <summary>Encodes <paramref name="bytes"/> as unpadded base64url.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    private static bool IsAlphabet(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
