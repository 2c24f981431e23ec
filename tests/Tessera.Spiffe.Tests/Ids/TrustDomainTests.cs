using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Tests.Ids;

public sealed class TrustDomainTests
{
    [Theory]
    [InlineData("example.org", "example.org")]
    [InlineData("a-b_c.0", "a-b_c.0")]
    [InlineData("spiffe://example.org", "example.org")]
    [InlineData("spiffe://example.org/some/workload", "example.org")]
    public void Parse_NameOrSpiffeId_ReturnsTrustDomain(string input, string expected)
    {
        var td = TrustDomain.Parse(input);

        Assert.Equal(expected, td.Name);
        Assert.Equal(expected, td.ToString());
        Assert.Equal("spiffe://" + expected, td.Id.ToString());
    }

    [Theory]
    [InlineData("", "trust domain is missing (SPIFFE-ID §2.1: the host part must not be empty)")]
    [InlineData("Example.org", "trust domain must be lower case (SPIFFE-ID §2.1)")]
    [InlineData("example.org:80", "trust domain must not contain a port (SPIFFE-ID §2.1)")]
    [InlineData("user@example.org", "trust domain must not contain user info (SPIFFE-ID §2.1)")]
    [InlineData("ex%41mple.org", "trust domain must not contain percent-encoded characters (SPIFFE-ID §2.1)")]
    [InlineData("example.org/path", "trust domain characters are limited to lowercase letters, numbers, dots, dashes and underscores; found '/' at position 11 (SPIFFE-ID §2.1)")]
    [InlineData("spiffe://Example.org/x", "trust domain must be lower case (SPIFFE-ID §2.1)")]
    [InlineData("spiffe://example.org/x/", "path cannot have a trailing slash (SPIFFE-ID §2.2)")]
    [InlineData("http://example.org", "scheme is missing or invalid: a SPIFFE ID must start with 'spiffe://' (SPIFFE-ID §2)")]
    public void Parse_Invalid_ThrowsNamingTheRule(string input, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => TrustDomain.Parse(input));
        Assert.Equal(expected, ex.Message);
        Assert.False(TrustDomain.TryParse(input, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_TooLong_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => TrustDomain.Parse(new string('a', 256)));
        Assert.Equal("trust domain is 256 bytes long; the maximum is 255 (SPIFFE-ID §2.3)", ex.Message);
        Assert.Equal(255, TrustDomain.Parse(new string('a', 255)).Name.Length);
    }

    [Fact]
    public void Equality_ByName()
    {
        Assert.Equal(TrustDomain.Parse("example.org"), TrustDomain.Parse("spiffe://example.org/x"));
        Assert.NotEqual(TrustDomain.Parse("example.org"), TrustDomain.Parse("example.com"));
        Assert.True(default(TrustDomain).IsZero);
        Assert.True(default(TrustDomain).Id.IsZero);
        Assert.Equal(string.Empty, default(TrustDomain).Name);
    }
}
