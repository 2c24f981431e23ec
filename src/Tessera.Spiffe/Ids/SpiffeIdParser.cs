namespace Tessera.Spiffe.Ids;

/// <summary>
/// Validates SPIFFE IDs and trust domain names character by character, returning the broken rule
/// instead of throwing so that <c>TryParse</c> allocates nothing on failure.
/// </summary>
internal static class SpiffeIdParser
{
    public const string Scheme = "spiffe://";

    /// <summary>Validates a whole SPIFFE ID; on success <paramref name="trustDomainEnd"/> is the index where the path starts.</summary>
    public static string? Validate(string id, out int trustDomainEnd)
    {
        trustDomainEnd = 0;
        if (id.Length == 0)
        {
            return SpiffeIdErrors.Empty;
        }

        // SPIFFE-ID §2.3: IDs are ASCII, so chars = bytes for every ID that can pass; a non-ASCII ID
        // is rejected below by the character rules, and its char count is a lower bound on its bytes.
        if (id.Length > SpiffeId.MaxLength)
        {
            return SpiffeIdErrors.TooLong(id.Length);
        }

        if (!id.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return id.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
                ? SpiffeIdErrors.SchemeNotLowerCase
                : SpiffeIdErrors.WrongScheme;
        }

        var end = id.IndexOf('/', Scheme.Length);
        if (end < 0)
        {
            end = id.Length;
        }

        var error = ValidateTrustDomain(id.AsSpan(Scheme.Length, end - Scheme.Length), Scheme.Length);
        if (error is not null)
        {
            return error;
        }

        trustDomainEnd = end;
        return ValidatePath(id.AsSpan(end), end);
    }

    /// <summary>Validates the host part of a SPIFFE ID (SPIFFE-ID §2.1). <paramref name="offset"/> shifts reported positions.</summary>
    public static string? ValidateTrustDomain(ReadOnlySpan<char> name, int offset)
    {
        if (name.IsEmpty)
        {
            return SpiffeIdErrors.MissingTrustDomain;
        }

        // A query or fragment directly after the host ("spiffe://td?x") is reported as such, not as a
        // bad trust domain character: that is the rule the author actually broke.
        var queryOrFragment = name.IndexOfAny('?', '#');
        var host = queryOrFragment < 0 ? name : name[..queryOrFragment];
        for (var i = 0; i < host.Length; i++)
        {
            var c = host[i];
            if (IsTrustDomainChar(c))
            {
                continue;
            }

            return c switch
            {
                >= 'A' and <= 'Z' => SpiffeIdErrors.TrustDomainUpperCase,
                '%' => SpiffeIdErrors.TrustDomainPercent,
                ':' => SpiffeIdErrors.TrustDomainPort,
                '@' => SpiffeIdErrors.TrustDomainUserInfo,
                _ => SpiffeIdErrors.BadTrustDomainChar(c, offset + i),
            };
        }

        if (queryOrFragment >= 0)
        {
            return host.IsEmpty ? SpiffeIdErrors.MissingTrustDomain
                : name[queryOrFragment] == '?' ? SpiffeIdErrors.Query : SpiffeIdErrors.Fragment;
        }

        return name.Length > TrustDomain.MaxLength ? SpiffeIdErrors.TrustDomainTooLong(name.Length) : null;
    }

    /// <summary>Validates a path: empty, or '/'-separated non-empty segments (SPIFFE-ID §2.2).</summary>
    public static string? ValidatePath(ReadOnlySpan<char> path, int offset)
    {
        if (path.IsEmpty)
        {
            return null;
        }

        if (path[0] != '/')
        {
            return SpiffeIdErrors.PathNoLeadingSlash;
        }

        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/')
            {
                var c = path[i];
                if (!IsPathChar(c))
                {
                    return c switch
                    {
                        '?' => SpiffeIdErrors.Query,
                        '#' => SpiffeIdErrors.Fragment,
                        '%' => SpiffeIdErrors.PathPercent,
                        _ => SpiffeIdErrors.BadPathChar(c, offset + i),
                    };
                }

                continue;
            }

            var segment = path[segmentStart..i];
            if (segment.IsEmpty)
            {
                return i == path.Length ? SpiffeIdErrors.TrailingSlash : SpiffeIdErrors.EmptySegment;
            }

            if (segment is "." or "..")
            {
                return SpiffeIdErrors.DotSegment;
            }

            segmentStart = i + 1;
        }

        return null;
    }

    private static bool IsTrustDomainChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_';

    private static bool IsPathChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-' or '_';
}
