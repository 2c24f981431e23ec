using Tessera.Policy.Values;

namespace Tessera.Policy.Extensions;

/// <summary>
/// Cedar's <c>ipaddr</c> extension type: an IPv4 or IPv6 address with a prefix length (32 or 128 for a
/// single address). Equality compares family, address and prefix; the address is not masked.
/// </summary>
internal sealed class IpValue(bool isV4, UInt128 address, int prefix) : Value
{
    public bool IsV4 { get; } = isV4;

    public UInt128 Address { get; } = address;

    public int Prefix { get; } = prefix;

    public override string TypeName => "ipaddr";

    private int Width => IsV4 ? 32 : 128;

    // Like multicast, a range is loopback only when all of it is (127.0.0.0/8, ::1/128).
    public bool IsLoopback => IsV4 ? (Address >> 24) == 127 && Prefix >= 8 : Address == UInt128.One && Prefix == 128;

    // A range is multicast only when all of it is: the prefix must be at least the multicast block's.
    public bool IsMulticast => IsV4 ? (Address >> 28) == 0xE && Prefix >= 4 : (Address >> 120) == 0xFF && Prefix >= 8;

    public bool IsInRange(IpValue other)
    {
        if (IsV4 != other.IsV4)
        {
            return false;
        }

        return other.Network <= Network && Broadcast <= other.Broadcast;
    }

    private UInt128 HostMask => Prefix >= Width ? UInt128.Zero : (UInt128.One << (Width - Prefix)) - 1;

    private UInt128 Network => Address & ~HostMask;

    private UInt128 Broadcast => Address | HostMask;

    public static IpValue? TryParse(string text)
    {
        // The reference caps the text at 43 characters (the longest IPv6 CIDR) before parsing anything.
        if (text.Length > 43)
        {
            return null;
        }

        // The reference refuses IPv4-embedded IPv6 ("::ffff:1.2.3.4") to avoid confusion between families.
        if (text.Count(c => c == ':') >= 2 && text.Count(c => c == '.') >= 2)
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return TryParseAddress(text, out var single, out var singleAddress) ? new IpValue(single, singleAddress, single ? 32 : 128) : null;
        }

        if (!TryParseAddress(text[..slash], out var v4, out var address))
        {
            return null;
        }

        // The prefix is plain decimal digits (at most 2 for IPv4, 3 for IPv6) without leading zeros.
        var prefixText = text.AsSpan(slash + 1);
        if (prefixText.IsEmpty || prefixText.Length > (v4 ? 2 : 3) || (prefixText.Length > 1 && prefixText[0] == '0') || !int.TryParse(prefixText, System.Globalization.NumberStyles.None, null, out var prefix)
            || prefix > (v4 ? 32 : 128))
        {
            return null;
        }

        return new IpValue(v4, address, prefix);
    }

    private static bool TryParseAddress(string text, out bool v4, out UInt128 address)
    {
        v4 = !text.Contains(':', StringComparison.Ordinal);
        return v4 ? TryParseV4(text, out address) : TryParseV6(text, out address);
    }

    private static bool TryParseV4(string text, out UInt128 address)
    {
        address = 0;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            // Like Rust's std parser: 1–3 decimal digits, no leading zero, at most 255.
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            var octet = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
            if (octet > 255)
            {
                return false;
            }

            address = (address << 8) | (uint)octet;
        }

        return true;
    }

    private static bool TryParseV6(string text, out UInt128 address)
    {
        address = 0;
        var doubleColon = text.IndexOf("::", StringComparison.Ordinal);
        if (doubleColon >= 0 && text.IndexOf("::", doubleColon + 1, StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        var head = doubleColon >= 0 ? text[..doubleColon] : text;
        var tail = doubleColon >= 0 ? text[(doubleColon + 2)..] : string.Empty;
        if (!TryGroups(head, out var headGroups) || !TryGroups(tail, out var tailGroups))
        {
            return false;
        }

        if (doubleColon < 0 ? headGroups.Count != 8 : headGroups.Count + tailGroups.Count > 7)
        {
            return false;
        }

        foreach (var group in headGroups)
        {
            address = (address << 16) | group;
        }

        address <<= 16 * (8 - headGroups.Count - tailGroups.Count);
        foreach (var group in tailGroups)
        {
            address = (address << 16) | group;
        }

        return true;
    }

    private static bool TryGroups(string text, out List<ushort> groups)
    {
        groups = [];
        if (text.Length == 0)
        {
            return true;
        }

        foreach (var part in text.Split(':'))
        {
            if (part.Length is 0 or > 4 || !part.All(char.IsAsciiHexDigit))
            {
                return false;
            }

            groups.Add(ushort.Parse(part, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
        }

        return true;
    }

    public override bool Equals(Value? other) =>
        other is IpValue ip && ip.IsV4 == IsV4 && ip.Address == Address && ip.Prefix == Prefix;

    public override int GetHashCode() => HashCode.Combine(IsV4, Address, Prefix);

    // For messages only: IPv6 is printed uncompressed.
    public override string ToString()
    {
        var text = IsV4
            ? string.Join('.', Enumerable.Range(0, 4).Select(i => (uint)((Address >> (24 - (8 * i))) & 0xFF)))
            : string.Join(':', Enumerable.Range(0, 8).Select(i => ((uint)((Address >> (112 - (16 * i))) & 0xFFFF)).ToString("x", System.Globalization.CultureInfo.InvariantCulture)));
        return $"ip(\"{text}/{Prefix}\")";
    }
}
