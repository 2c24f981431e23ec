using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.Tests.Jwt;

/// <summary>Shared fixtures and assertions for JWT-SVID tests.</summary>
internal static class JwtAssert
{
    public const string Audience = "reports";

    public static readonly JwtBundle Bundle = new(TestKeys.Domain,
    [
        new JwtAuthority("k1", TestKeys.P256),
        new JwtAuthority("k384", TestKeys.P384),
        new JwtAuthority("k521", TestKeys.P521),
        new JwtAuthority("rsa", TestKeys.Rsa2048),
        new JwtAuthority("rsa1024", TestKeys.Rsa1024),
    ]);

    public static JwtSvidValidationResult Validate(string token, TimeSpan? leeway = null, IJwtBundleSource? bundles = null) =>
        JwtSvidValidator.Validate(token, bundles ?? Bundle, Audience, TokenBuilder.Now, leeway ?? TimeSpan.Zero);

    public static void Rejected(JwtSvidValidationResult result, JwtSvidError error, string message)
    {
        Assert.Equal(error, result.Error);
        Assert.Equal(message, result.Message);
        Assert.False(result.IsValid);
        Assert.Null(result.Svid);
    }

    public static JwtSvid Valid(JwtSvidValidationResult result)
    {
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(JwtSvidError.None, result.Error);
        Assert.Null(result.Message);
        return result.Svid;
    }
}
