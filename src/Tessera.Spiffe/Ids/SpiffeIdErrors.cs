namespace Tessera.Spiffe.Ids;

/// <summary>
/// The messages of the <see cref="FormatException"/>s thrown for malformed SPIFFE IDs and trust domain
/// names. Each names the rule of the SPIFFE-ID specification (§2) that the input broke; tests assert them
/// exactly, so they are part of the contract.
/// </summary>
internal static class SpiffeIdErrors
{
    public const string Empty = "SPIFFE ID is empty";
    public const string WrongScheme = "scheme is missing or invalid: a SPIFFE ID must start with 'spiffe://' (SPIFFE-ID §2)";
    public const string SchemeNotLowerCase = "scheme must be 'spiffe' in lower case (SPIFFE-ID §2)";
    public const string MissingTrustDomain = "trust domain is missing (SPIFFE-ID §2.1: the host part must not be empty)";
    public const string TrustDomainUpperCase = "trust domain must be lower case (SPIFFE-ID §2.1)";
    public const string TrustDomainPercent = "trust domain must not contain percent-encoded characters (SPIFFE-ID §2.1)";
    public const string TrustDomainPort = "trust domain must not contain a port (SPIFFE-ID §2.1)";
    public const string TrustDomainUserInfo = "trust domain must not contain user info (SPIFFE-ID §2.1)";
    public const string Query = "SPIFFE ID must not contain a query (SPIFFE-ID §2)";
    public const string Fragment = "SPIFFE ID must not contain a fragment (SPIFFE-ID §2)";
    public const string PathPercent = "path must not contain percent-encoded characters (SPIFFE-ID §2.2)";
    public const string EmptySegment = "path cannot contain empty segments (SPIFFE-ID §2.2)";
    public const string DotSegment = "path cannot contain dot segments '.' or '..' (SPIFFE-ID §2.2)";
    public const string TrailingSlash = "path cannot have a trailing slash (SPIFFE-ID §2.2)";
    public const string PathNoLeadingSlash = "path must be empty or start with '/' (SPIFFE-ID §2.2)";

    public static string BadTrustDomainChar(char c, int position) =>
        $"trust domain characters are limited to lowercase letters, numbers, dots, dashes and underscores; found {Describe(c)} at position {position} (SPIFFE-ID §2.1)";

    public static string BadPathChar(char c, int position) =>
        $"path segment characters are limited to letters, numbers, dots, dashes and underscores; found {Describe(c)} at position {position} (SPIFFE-ID §2.2)";

    public static string TooLong(int length) =>
        $"SPIFFE ID is {length} bytes long; the maximum is {SpiffeId.MaxLength} (SPIFFE-ID §2.3)";

    public static string TrustDomainTooLong(int length) =>
        $"trust domain is {length} bytes long; the maximum is {TrustDomain.MaxLength} (SPIFFE-ID §2.3)";

    // Characters from a peer are described, never echoed raw: a control character or a line break in an
    // error message would let input forge log lines.
    private static string Describe(char c) =>
        c is >= ' ' and <= '~' ? $"'{c}'" : $"U+{(int)c:X4}";
}
