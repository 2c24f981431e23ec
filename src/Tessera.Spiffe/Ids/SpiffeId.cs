using System.Diagnostics.CodeAnalysis;

namespace Tessera.Spiffe.Ids;

/// <summary>
/// A SPIFFE ID, <c>spiffe://trust-domain/path</c> (SPIFFE-ID §2), validated on construction and held in
/// canonical form: lower-case scheme and trust domain, no trailing slash, no empty or dot segments.
/// </summary>
/// <remarks>
/// <c>default(SpiffeId)</c> is the zero value: <see cref="IsZero"/> is true, it prints as an empty string
/// and it is a member of no trust domain. Every other instance is valid.
/// </remarks>
public readonly struct SpiffeId : IEquatable<SpiffeId>, IComparable<SpiffeId>, IParsable<SpiffeId>
{
    /// <summary>The maximum length of a SPIFFE ID in bytes that implementations must support (SPIFFE-ID §2.3).</summary>
    public const int MaxLength = 2048;

    private readonly string? _id;
    private readonly string? _trustDomain;

    private SpiffeId(string id, string trustDomain)
    {
        _id = id;
        _trustDomain = trustDomain;
    }

    /// <summary>Gets the trust domain the ID belongs to.</summary>
    public TrustDomain TrustDomain => _trustDomain is null ? default : TrustDomain.FromValidated(_trustDomain);

    /// <summary>Gets the path, e.g. <c>/payments/api</c>; empty when the ID names the trust domain itself.</summary>
    public string Path => _id is null ? string.Empty : _id[(SpiffeIdParser.Scheme.Length + _trustDomain!.Length)..];

    /// <summary>Gets the path segments, e.g. <c>["payments", "api"]</c>; empty when there is no path.</summary>
    public IReadOnlyList<string> Segments
    {
        get
        {
            var path = Path;
            return path.Length == 0 ? [] : path[1..].Split('/');
        }
    }

    /// <summary>Gets whether the ID has a path; the IDs of leaf X509-SVIDs must (X509-SVID §3.1).</summary>
    public bool HasPath => _id is not null && _id.Length > SpiffeIdParser.Scheme.Length + _trustDomain!.Length;

    /// <summary>Gets whether this is the zero value (no ID).</summary>
    public bool IsZero => _id is null;

    /// <summary>Parses a SPIFFE ID.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    /// <exception cref="FormatException">The input breaks a rule of SPIFFE-ID §2; the message names it.</exception>
    public static SpiffeId Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, out var id, out var error) ? id : throw new FormatException(error);
    }

    /// <inheritdoc cref="Parse(string)"/>
    static SpiffeId IParsable<SpiffeId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <summary>Tries to parse a SPIFFE ID.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out SpiffeId result) => TryParse(s, out result, out _);

    /// <inheritdoc cref="TryParse(string?, out SpiffeId)"/>
    static bool IParsable<SpiffeId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out SpiffeId result) =>
        TryParse(s, out result, out _);

    /// <summary>Tries to parse a SPIFFE ID, returning the broken rule in <paramref name="error"/> on failure.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out SpiffeId result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        if (s is null)
        {
            error = SpiffeIdErrors.Empty;
            return false;
        }

        error = SpiffeIdParser.Validate(s, out var trustDomainEnd);
        if (error is not null)
        {
            return false;
        }

        // A valid ID is already canonical, so the input string itself is kept: no copy.
        result = new SpiffeId(s, s[SpiffeIdParser.Scheme.Length..trustDomainEnd]);
        return true;
    }

    /// <summary>Creates a SPIFFE ID from a trust domain and a path (empty, or starting with '/').</summary>
    /// <exception cref="ArgumentException">The trust domain is the zero value.</exception>
    /// <exception cref="FormatException">The path breaks a rule of SPIFFE-ID §2.2, or the ID would be too long.</exception>
    public static SpiffeId FromPath(TrustDomain trustDomain, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("trust domain is the zero value; parse one first", nameof(trustDomain));
        }

        var offset = SpiffeIdParser.Scheme.Length + trustDomain.Name.Length;
        var error = SpiffeIdParser.ValidatePath(path, offset);
        if (error is null && offset + path.Length > MaxLength)
        {
            error = SpiffeIdErrors.TooLong(offset + path.Length);
        }

        return error is null
            ? new SpiffeId(SpiffeIdParser.Scheme + trustDomain.Name + path, trustDomain.Name)
            : throw new FormatException(error);
    }

    /// <summary>Creates a SPIFFE ID from a trust domain and path segments, e.g. <c>("payments", "api")</c>.</summary>
    /// <exception cref="FormatException">A segment is empty, a dot segment, contains '/' or another invalid character.</exception>
    public static SpiffeId FromSegments(TrustDomain trustDomain, params ReadOnlySpan<string> segments)
    {
        foreach (var segment in segments)
        {
            ArgumentNullException.ThrowIfNull(segment, nameof(segments));
            if (segment.Contains('/', StringComparison.Ordinal))
            {
                throw new FormatException(SpiffeIdErrors.BadPathChar('/', segment.IndexOf('/', StringComparison.Ordinal)));
            }
        }

        return FromPath(trustDomain, segments.Length == 0 ? string.Empty : "/" + string.Join('/', segments));
    }

    /// <summary>Returns whether the ID belongs to <paramref name="trustDomain"/>.</summary>
    public bool MemberOf(TrustDomain trustDomain) =>
        _trustDomain is not null && string.Equals(_trustDomain, trustDomain.Name, StringComparison.Ordinal);

    /// <summary>Returns the canonical form, <c>spiffe://trust-domain/path</c>; empty for the zero value.</summary>
    public override string ToString() => _id ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(SpiffeId other) => string.Equals(_id, other._id, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SpiffeId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _id is null ? 0 : StringComparer.Ordinal.GetHashCode(_id);

    /// <inheritdoc/>
    public int CompareTo(SpiffeId other) => string.CompareOrdinal(_id, other._id);

    /// <summary>Compares two IDs exactly (the canonical forms are compared ordinally).</summary>
    public static bool operator ==(SpiffeId left, SpiffeId right) => left.Equals(right);

    /// <summary>Compares two IDs exactly (the canonical forms are compared ordinally).</summary>
    public static bool operator !=(SpiffeId left, SpiffeId right) => !left.Equals(right);

    /// <summary>Orders IDs by their canonical form (ordinal).</summary>
    public static bool operator <(SpiffeId left, SpiffeId right) => left.CompareTo(right) < 0;

    /// <summary>Orders IDs by their canonical form (ordinal).</summary>
    public static bool operator <=(SpiffeId left, SpiffeId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders IDs by their canonical form (ordinal).</summary>
    public static bool operator >(SpiffeId left, SpiffeId right) => left.CompareTo(right) > 0;

    /// <summary>Orders IDs by their canonical form (ordinal).</summary>
    public static bool operator >=(SpiffeId left, SpiffeId right) => left.CompareTo(right) >= 0;
}
