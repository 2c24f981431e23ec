using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Spiffe.AspNetCore.Internal;

namespace Tessera.Spiffe.AspNetCore.Authentication;

/// <summary>
/// Authenticates the caller as the SPIFFE ID a <c>UseSpiffeMtls</c> listener verified and authorized during the
/// TLS handshake. A client certificate that reached the application any other way is ignored: the handler cannot
/// know how it was checked.
/// </summary>
internal sealed class SpiffeMtlsAuthenticationHandler(IOptionsMonitor<SpiffeMtlsAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<SpiffeMtlsAuthenticationOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Context.Features.Get<SpiffePeerFeature>()?.Id is not { } id)
        {
            SpiffeLog.NoVerifiedPeer(Logger);
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var text = id.ToString();
        var identity = new ClaimsIdentity(
            [
                new Claim(SpiffeClaimTypes.SpiffeId, text, ClaimValueTypes.String, ClaimsIssuer),
                new Claim(SpiffeClaimTypes.TrustDomain, id.TrustDomain.Name, ClaimValueTypes.String, ClaimsIssuer),
                new Claim(ClaimTypes.NameIdentifier, text, ClaimValueTypes.String, ClaimsIssuer),
                new Claim(ClaimTypes.Name, text, ClaimValueTypes.String, ClaimsIssuer),
            ],
            Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
