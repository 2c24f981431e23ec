using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Tests.Ids;

public sealed class SpiffeIdTests
{
    [Theory]
    [InlineData("spiffe://example.org", "example.org", "")]
    [InlineData("spiffe://example.org/workload", "example.org", "/workload")]
    [InlineData("spiffe://example.org/ns/prod/sa/default", "example.org", "/ns/prod/sa/default")]
    [InlineData("spiffe://a_b-c.9/A-Z_a.z-0.9", "a_b-c.9", "/A-Z_a.z-0.9")]
    [InlineData("spiffe://192.168.1.1/ipv4-is-a-valid-name", "192.168.1.1", "/ipv4-is-a-valid-name")]
    [InlineData("spiffe://example.org/...", "example.org", "/...")]
    [InlineData("spiffe://example.org/.a/a./..b", "example.org", "/.a/a./..b")]
    public void Parse_ValidId_ReturnsCanonicalParts(string input, string trustDomain, string path)
    {
        var id = SpiffeId.Parse(input);

        Assert.Equal(input, id.ToString());
        Assert.Equal(trustDomain, id.TrustDomain.Name);
        Assert.Equal(path, id.Path);
        Assert.Equal(path.Length > 0, id.HasPath);
        Assert.False(id.IsZero);
    }

    [Theory]
    [InlineData("", "SPIFFE ID is empty")]
    [InlineData("example.org/workload", "scheme is missing or invalid: a SPIFFE ID must start with 'spiffe://' (SPIFFE-ID §2)")]
    [InlineData("https://example.org/workload", "scheme is missing or invalid: a SPIFFE ID must start with 'spiffe://' (SPIFFE-ID §2)")]
    [InlineData("spiffe:/example.org", "scheme is missing or invalid: a SPIFFE ID must start with 'spiffe://' (SPIFFE-ID §2)")]
    [InlineData("spiffe:example.org", "scheme is missing or invalid: a SPIFFE ID must start with 'spiffe://' (SPIFFE-ID §2)")]
    [InlineData("SPIFFE://example.org/workload", "scheme must be 'spiffe' in lower case (SPIFFE-ID §2)")]
    [InlineData("Spiffe://example.org", "scheme must be 'spiffe' in lower case (SPIFFE-ID §2)")]
    [InlineData("spiffe://", "trust domain is missing (SPIFFE-ID §2.1: the host part must not be empty)")]
    [InlineData("spiffe:///path", "trust domain is missing (SPIFFE-ID §2.1: the host part must not be empty)")]
    [InlineData("spiffe://?x", "trust domain is missing (SPIFFE-ID §2.1: the host part must not be empty)")]
    [InlineData("spiffe://Example.org/workload", "trust domain must be lower case (SPIFFE-ID §2.1)")]
    [InlineData("spiffe://exa%41mple.org", "trust domain must not contain percent-encoded characters (SPIFFE-ID §2.1)")]
    [InlineData("spiffe://example.org:8443/workload", "trust domain must not contain a port (SPIFFE-ID §2.1)")]
    [InlineData("spiffe://user@example.org/workload", "trust domain must not contain user info (SPIFFE-ID §2.1)")]
    [InlineData("spiffe://example.org?query=1", "SPIFFE ID must not contain a query (SPIFFE-ID §2)")]
    [InlineData("spiffe://example.org/workload?query=1", "SPIFFE ID must not contain a query (SPIFFE-ID §2)")]
    [InlineData("spiffe://example.org#frag", "SPIFFE ID must not contain a fragment (SPIFFE-ID §2)")]
    [InlineData("spiffe://example.org/workload#frag", "SPIFFE ID must not contain a fragment (SPIFFE-ID §2)")]
    [InlineData("spiffe://example.org/wor%6Bload", "path must not contain percent-encoded characters (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org//workload", "path cannot contain empty segments (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/a//b", "path cannot contain empty segments (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/a/./b", "path cannot contain dot segments '.' or '..' (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/a/../b", "path cannot contain dot segments '.' or '..' (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/.", "path cannot contain dot segments '.' or '..' (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/..", "path cannot contain dot segments '.' or '..' (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/", "path cannot have a trailing slash (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/workload/", "path cannot have a trailing slash (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://exa mple.org", "trust domain characters are limited to lowercase letters, numbers, dots, dashes and underscores; found ' ' at position 12 (SPIFFE-ID §2.1)")]
    [InlineData("spiffe://[::1]/workload", "trust domain characters are limited to lowercase letters, numbers, dots, dashes and underscores; found '[' at position 9 (SPIFFE-ID §2.1)")]
    [InlineData("spiffe://exämple.org", "trust domain characters are limited to lowercase letters, numbers, dots, dashes and underscores; found U+00E4 at position 11 (SPIFFE-ID §2.1)")]
    [InlineData("spiffe://example.org/work load", "path segment characters are limited to letters, numbers, dots, dashes and underscores; found ' ' at position 25 (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/a\nb", "path segment characters are limited to letters, numbers, dots, dashes and underscores; found U+000A at position 22 (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/wörk", "path segment characters are limited to letters, numbers, dots, dashes and underscores; found U+00F6 at position 22 (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/a+b", "path segment characters are limited to letters, numbers, dots, dashes and underscores; found '+' at position 22 (SPIFFE-ID §2.2)")]
    public void Parse_InvalidId_ThrowsNamingTheRule(string input, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => SpiffeId.Parse(input));
        Assert.Equal(expected, ex.Message);

        Assert.False(SpiffeId.TryParse(input, out var id, out var error));
        Assert.Equal(expected, error);
        Assert.True(id.IsZero);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => SpiffeId.Parse(null!));
        Assert.False(SpiffeId.TryParse(null, out _));
    }

    [Fact]
    public void Parse_AtMaximumLength_Succeeds()
    {
        var input = "spiffe://example.org/" + new string('a', SpiffeId.MaxLength - "spiffe://example.org/".Length);

        Assert.Equal(SpiffeId.MaxLength, SpiffeId.Parse(input).ToString().Length);
    }

    [Fact]
    public void Parse_OverMaximumLength_ThrowsTooLong()
    {
        var input = "spiffe://example.org/" + new string('a', SpiffeId.MaxLength + 1 - "spiffe://example.org/".Length);

        var ex = Assert.Throws<FormatException>(() => SpiffeId.Parse(input));
        Assert.Equal("SPIFFE ID is 2049 bytes long; the maximum is 2048 (SPIFFE-ID §2.3)", ex.Message);
    }

    [Fact]
    public void Parse_TrustDomainOverMaximumLength_ThrowsTooLong()
    {
        var input = "spiffe://" + new string('a', TrustDomain.MaxLength + 1) + "/workload";

        var ex = Assert.Throws<FormatException>(() => SpiffeId.Parse(input));
        Assert.Equal("trust domain is 256 bytes long; the maximum is 255 (SPIFFE-ID §2.3)", ex.Message);
    }

    [Fact]
    public void Segments_PathWithSegments_ReturnsEachSegment()
    {
        Assert.Equal(["ns", "prod", "sa", "default"], SpiffeId.Parse("spiffe://example.org/ns/prod/sa/default").Segments);
        Assert.Empty(SpiffeId.Parse("spiffe://example.org").Segments);
    }

    [Fact]
    public void MemberOf_SameAndOtherTrustDomain_ComparesExactly()
    {
        var id = SpiffeId.Parse("spiffe://example.org/workload");

        Assert.True(id.MemberOf(TrustDomain.Parse("example.org")));
        Assert.False(id.MemberOf(TrustDomain.Parse("example.org.evil")));
        Assert.False(id.MemberOf(TrustDomain.Parse("org")));
        Assert.False(id.MemberOf(default));
        Assert.False(default(SpiffeId).MemberOf(default));
    }

    [Fact]
    public void FromSegments_ValidSegments_BuildsId()
    {
        var id = SpiffeId.FromSegments(TrustDomain.Parse("example.org"), "payments", "api");

        Assert.Equal("spiffe://example.org/payments/api", id.ToString());
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/payments/api"), id);
    }

    [Fact]
    public void FromSegments_NoSegments_NamesTheTrustDomain()
    {
        var td = TrustDomain.Parse("example.org");

        Assert.Equal(td.Id, SpiffeId.FromSegments(td));
        Assert.Equal("spiffe://example.org", td.Id.ToString());
    }

    [Theory]
    [InlineData("a/b", "path segment characters are limited to letters, numbers, dots, dashes and underscores; found '/' at position 1 (SPIFFE-ID §2.2)")]
    [InlineData("", "path cannot have a trailing slash (SPIFFE-ID §2.2)")]
    [InlineData("..", "path cannot contain dot segments '.' or '..' (SPIFFE-ID §2.2)")]
    [InlineData("a b", "path segment characters are limited to letters, numbers, dots, dashes and underscores; found ' ' at position 22 (SPIFFE-ID §2.2)")]
    public void FromSegments_InvalidSegment_Throws(string segment, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => SpiffeId.FromSegments(TrustDomain.Parse("example.org"), segment));
        Assert.Equal(expected, ex.Message);
    }

    [Theory]
    [InlineData("workload", "path must be empty or start with '/' (SPIFFE-ID §2.2)")]
    [InlineData("/a/", "path cannot have a trailing slash (SPIFFE-ID §2.2)")]
    [InlineData("/a?b", "SPIFFE ID must not contain a query (SPIFFE-ID §2)")]
    public void FromPath_InvalidPath_Throws(string path, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => SpiffeId.FromPath(TrustDomain.Parse("example.org"), path));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void FromPath_ZeroTrustDomain_ThrowsArgument()
    {
        var ex = Assert.Throws<ArgumentException>(() => SpiffeId.FromPath(default, "/a"));
        Assert.StartsWith("trust domain is the zero value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPath_TooLong_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => SpiffeId.FromPath(TrustDomain.Parse("example.org"), "/" + new string('a', 2100)));
        Assert.Equal("SPIFFE ID is 2121 bytes long; the maximum is 2048 (SPIFFE-ID §2.3)", ex.Message);
    }

    [Fact]
    public void Equality_PathIsCaseSensitive()
    {
        // SPIFFE-ID §2.4: the path is case-sensitive.
        Assert.NotEqual(SpiffeId.Parse("spiffe://example.org/A"), SpiffeId.Parse("spiffe://example.org/a"));
        Assert.True(SpiffeId.Parse("spiffe://example.org/a") == SpiffeId.Parse("spiffe://example.org/a"));
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/a").GetHashCode(), SpiffeId.Parse("spiffe://example.org/" + "a").GetHashCode());
    }

    [Fact]
    public void ZeroValue_PrintsEmptyAndHasNoParts()
    {
        var zero = default(SpiffeId);

        Assert.True(zero.IsZero);
        Assert.Equal(string.Empty, zero.ToString());
        Assert.Equal(string.Empty, zero.Path);
        Assert.True(zero.TrustDomain.IsZero);
        Assert.Empty(zero.Segments);
        Assert.False(zero.HasPath);
    }

    [Fact]
    public void CompareTo_OrdersOrdinally()
    {
        var ids = new[] { "spiffe://b.org/x", "spiffe://a.org/z", "spiffe://a.org/B" }.Select(SpiffeId.Parse).Order().Select(i => i.ToString());

        Assert.Equal(["spiffe://a.org/B", "spiffe://a.org/z", "spiffe://b.org/x"], ids);
    }
}
