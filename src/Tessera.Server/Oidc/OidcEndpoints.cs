using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Server.Ca;

namespace Tessera.Server.Oidc;

/// <summary>Maps the discovery document and the JWK Set, read from the CA's current bundle on every request (rotation needs nothing more).</summary>
internal static class OidcEndpoints
{
    // Relying parties cache the JWK Set; a short max-age makes a newly published key (and a removed one) visible
    // within a minute while keeping load low. Keys are published well before they sign, so a minute is ample.
    private const string CacheControl = "public, max-age=60";

    public static void MapOidcDiscovery(this IEndpointRouteBuilder app, string issuer)
    {
        app.MapGet(OidcDocuments.DiscoveryPath, (HttpContext context, CertificateAuthority ca) => Json(context, OidcDocuments.Discovery(issuer, ca.JwtBundle)));
        app.MapGet(OidcDocuments.KeysPath, (HttpContext context, CertificateAuthority ca) => Json(context, OidcDocuments.Jwks(ca.JwtBundle)));
    }

    private static IResult Json(HttpContext context, string body)
    {
        context.Response.Headers.CacheControl = CacheControl;
        return Results.Text(body, "application/json");
    }
}
