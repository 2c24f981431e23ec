using System.Diagnostics.CodeAnalysis;

namespace Tessera.Spiffe.Ids;

/// <summary>
/// A SPIFFE trust domain name: the authority part of a SPIFFE ID (SPIFFE-ID §2.1), validated on
/// construction. Two trust domains are equal when their names are equal (names are lower case).
/// </summary>
/// <remarks>
/// <c>default(TrustDomain)</c> is the zero value: <see cref="IsZero"/> is true and it is a member of
/// nothing. Every other instance holds a valid name.
/// </remarks>
public readonly struct TrustDomain : IEquatable<TrustDomain>, IComparable<TrustDomain>, IParsable<TrustDomain>
{
    /// <summary>The maximum length of a trust domain name in bytes (SPIFFE-ID §2.3, after RFC 3986's host limit).</summary>
    public const int MaxLength = 255;

    private readonly string? _name;

    private TrustDomain(string name) => _name = name;

    /// <summary>Gets the trust domain name, e.g. <c>example.org</c>; empty for the zero value.</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>Gets whether this is the zero value (no trust domain).</summary>
    public bool IsZero => _name is null;

    /// <summary>Gets the SPIFFE ID of the trust domain itself, <c>spiffe://example.org</c>.</summary>
    public SpiffeId Id => IsZero ? default : SpiffeId.FromPath(this, string.Empty);

    /// <summary>
    /// Parses a trust domain name (<c>example.org</c>) or takes the trust domain of a SPIFFE ID
    /// (<c>spiffe://example.org/path</c>).
    /// </summary>
    /// <exception cref="FormatException">The input breaks a rule of SPIFFE-ID §2.1; the message names it.</exception>
    public static TrustDomain Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, out var td, out var error) ? td : throw new FormatException(error);
    }

    /// <inheritdoc cref="Parse(string)"/>
    static TrustDomain IParsable<TrustDomain>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <summary>Tries to parse a trust domain name or the trust domain of a SPIFFE ID.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out TrustDomain result) =>
        TryParse(s, out result, out _);

    /// <inheritdoc cref="TryParse(string?, out TrustDomain)"/>
    static bool IParsable<TrustDomain>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out TrustDomain result) =>
        TryParse(s, out result, out _);

    /// <summary>Tries to parse a trust domain, returning the broken rule in <paramref name="error"/> on failure.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out TrustDomain result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        if (s is null)
        {
            error = SpiffeIdErrors.MissingTrustDomain;
            return false;
        }

        // Accept a full SPIFFE ID, as go-spiffe's TrustDomainFromString does: operators paste either.
        if (s.Contains(":/", StringComparison.Ordinal))
        {
            if (!SpiffeId.TryParse(s, out var id, out error))
            {
                return false;
            }

            result = id.TrustDomain;
            return true;
        }

        error = SpiffeIdParser.ValidateTrustDomain(s, 0);
        if (error is not null)
        {
            return false;
        }

        result = new TrustDomain(s);
        return true;
    }

    /// <summary>Creates a trust domain from a name already validated by <see cref="SpiffeIdParser"/>.</summary>
    internal static TrustDomain FromValidated(string name) => new(name);

    /// <summary>Returns the trust domain name.</summary>
    public override string ToString() => Name;

    /// <inheritdoc/>
    public bool Equals(TrustDomain other) => string.Equals(_name, other._name, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TrustDomain other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _name is null ? 0 : StringComparer.Ordinal.GetHashCode(_name);

    /// <inheritdoc/>
    public int CompareTo(TrustDomain other) => string.CompareOrdinal(_name, other._name);

    /// <summary>Compares two trust domains by name.</summary>
    public static bool operator ==(TrustDomain left, TrustDomain right) => left.Equals(right);

    /// <summary>Compares two trust domains by name.</summary>
    public static bool operator !=(TrustDomain left, TrustDomain right) => !left.Equals(right);

    /// <summary>Orders trust domains by name (ordinal).</summary>
    public static bool operator <(TrustDomain left, TrustDomain right) => left.CompareTo(right) < 0;

    /// <summary>Orders trust domains by name (ordinal).</summary>
    public static bool operator <=(TrustDomain left, TrustDomain right) => left.CompareTo(right) <= 0;

    /// <summary>Orders trust domains by name (ordinal).</summary>
    public static bool operator >(TrustDomain left, TrustDomain right) => left.CompareTo(right) > 0;

    /// <summary>Orders trust domains by name (ordinal).</summary>
    public static bool operator >=(TrustDomain left, TrustDomain right) => left.CompareTo(right) >= 0;
}
