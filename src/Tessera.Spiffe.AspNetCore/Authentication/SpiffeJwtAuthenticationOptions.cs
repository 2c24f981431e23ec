using Microsoft.AspNetCore.Authentication;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.Revocation;

namespace Tessera.Spiffe.AspNetCore.Authentication;

/// <summary>Options of the JWT-SVID bearer authentication scheme (<c>AddSpiffeJwt</c>).</summary>
public sealed class SpiffeJwtAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Gets or sets the audience this service identifies as; a token's <c>aud</c> must contain it (JWT-SVID §3.2). Required.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Gets or sets where the JWT bundles (signing keys) come from: a Workload API <c>JwtSource</c> or
    /// <c>BundleSource</c> that keeps them current, or a static <see cref="JwtBundle"/> or <see cref="BundleSet"/>.
    /// A token is checked only against the bundle of its subject's trust domain. Required.
    /// </summary>
    public IJwtBundleSource? Bundles { get; set; }

    /// <summary>
    /// Gets or sets whether every token must be certificate-bound (carry <c>cnf.x5t#S256</c>, RFC 8705 §3.1) and be
    /// presented over TLS with the matching client certificate. A token that carries <c>cnf</c> is held to its
    /// binding whatever this says. Default: false.
    /// </summary>
    public bool RequireCertificateBound { get; set; }

    /// <summary>
    /// Gets or sets the revocation deny list (a Workload API <c>DenyListSource</c>, or a
    /// <see cref="StaticDenyListSource"/>): a token whose <c>jti</c> is revoked, or whose subject's tokens issued
    /// before a cutoff are revoked, is refused with 401 (<c>error_description="the token is revoked"</c>) even though
    /// it is unexpired and correctly signed. Read on every request. Default: null (no deny list).
    /// </summary>
    public IDenyListSource? DenyList { get; set; }

    /// <summary>Gets or sets the clock skew allowed for <c>exp</c>, <c>nbf</c> and <c>iat</c>. Default: 30 seconds.</summary>
    public TimeSpan Leeway { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the longest token accepted, in characters; longer ones are refused before anything is parsed.
    /// Default: <see cref="SpiffeJwtDefaults.MaxTokenLength"/> (8 KiB); at most <see cref="JwtSvidValidator.MaxTokenLength"/>.
    /// </summary>
    public int MaxTokenLength { get; set; } = SpiffeJwtDefaults.MaxTokenLength;

    /// <summary>Checks the options, naming every problem at once; ASP.NET Core calls it when the host starts.</summary>
    /// <exception cref="InvalidOperationException">A required option is missing or a value is out of range.</exception>
    public override void Validate()
    {
        base.Validate();
        if (Problems() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException("invalid SpiffeJwt authentication options: " + string.Join("; ", problems));
        }
    }

    /// <summary>Returns every problem with the options; empty when they are valid.</summary>
    private List<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(Audience))
        {
            problems.Add("Audience is required: set it to the audience this service identifies as");
        }

        if (Bundles is null)
        {
            problems.Add("Bundles is required: use a JwtSource, a BundleSource or a static JwtBundle/BundleSet");
        }

        if (Leeway < TimeSpan.Zero)
        {
            problems.Add($"Leeway must not be negative, not {Leeway}");
        }

        if (MaxTokenLength is < 1 or > JwtSvidValidator.MaxTokenLength)
        {
            problems.Add($"MaxTokenLength must be between 1 and {JwtSvidValidator.MaxTokenLength}, not {MaxTokenLength}");
        }

        return problems;
    }
}
