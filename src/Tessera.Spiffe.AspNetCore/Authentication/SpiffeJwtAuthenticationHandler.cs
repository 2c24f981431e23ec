using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Tessera.Spiffe.AspNetCore.Internal;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.AspNetCore.Authentication;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;JWT-SVID&gt;</c> (RFC 6750 §2.1) with <see cref="JwtSvidValidator"/>
/// against the configured bundles, then enforces the token's certificate binding (RFC 8705 §3). A refused token gets
/// 401 with <c>WWW-Authenticate: Bearer error="invalid_token", error_description="…"</c> (RFC 6750 §3) and one log
/// line (event 6105); neither ever contains the token. With <see cref="SpiffeJwtAuthenticationOptions.DenyList"/> set,
/// a revoked token is refused (error <c>Revoked</c>).
/// </summary>
internal sealed class SpiffeJwtAuthenticationHandler(IOptionsMonitor<SpiffeJwtAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<SpiffeJwtAuthenticationOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    private JwtRefusal? _refusal;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // No bearer token: another scheme may authenticate the request, and a challenge asks for one (RFC 6750 §3.1).
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var token = header.AsSpan(BearerPrefix.Length).Trim();
        var refusal = Authenticate(token, out var svid);
        if (refusal is not null)
        {
            _refusal = refusal;
            SpiffeLog.JwtRefused(Logger, refusal.Error, refusal.Detail);
            return Task.FromResult(AuthenticateResult.Fail(refusal.Description));
        }

        var text = svid!.Id.ToString();
        var identity = new ClaimsIdentity(
            [
                new Claim(SpiffeClaimTypes.SpiffeId, text, ClaimValueTypes.String, ClaimsIssuer),
                new Claim(SpiffeClaimTypes.TrustDomain, svid.Id.TrustDomain.Name, ClaimValueTypes.String, ClaimsIssuer),
                new Claim(ClaimTypes.NameIdentifier, text, ClaimValueTypes.String, ClaimsIssuer),
                new Claim(ClaimTypes.Name, text, ClaimValueTypes.String, ClaimsIssuer),
            ],
            Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Runs the authentication (once per request) so the challenge knows why a token was refused.
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        Response.StatusCode = StatusCodes.Status401Unauthorized;

        // The description is one of a fixed set of ASCII phrases without quotes (JwtRefusal), so it is a valid quoted-string.
        Response.Headers.Append(
            HeaderNames.WWWAuthenticate,
            _refusal is null ? "Bearer" : $"Bearer error=\"invalid_token\", error_description=\"{_refusal.Description}\"");
    }

    private JwtRefusal? Authenticate(ReadOnlySpan<char> token, out JwtSvid? svid)
    {
        svid = null;
        if (token.Length > Options.MaxTokenLength)
        {
            return new JwtRefusal(nameof(JwtSvidError.TooLarge), "the token is too large", $"token of {token.Length} characters is longer than the {Options.MaxTokenLength} allowed");
        }

        var result = JwtSvidValidator.Validate(token.ToString(), Options.Bundles!, Options.Audience!, TimeProvider, Options.Leeway);
        if (!result.IsValid)
        {
            return JwtRefusal.FromValidation(result);
        }

        svid = result.Svid;

        // After the signature and expiry checks: only a genuine, live token can be worth revoking, and the reason
        // then names real records.
        if (Options.DenyList?.DenyList.CheckJwt(svid.Id, svid.JwtId, svid.IssuedAt) is { } revoked)
        {
            return JwtRefusal.Revoked(revoked);
        }

        // The certificate a UseSpiffeMtls listener verified; otherwise the one Kestrel's own TLS accepted. Either way
        // the handshake proved the client holds its private key, which is all the binding needs (RFC 8705 §3).
        var certificate = Context.Features.Get<SpiffePeerFeature>()?.Certificate ?? Context.Connection.ClientCertificate;
        return CertificateBinding.Check(result.Svid, certificate, Options.RequireCertificateBound);
    }
}
