using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Server.NodeApi;
using Tessera.Server.Oidc;

namespace Tessera.Server.Hosting;

/// <summary>
/// Keeps each HTTP surface on its own listener: the OIDC documents only on the OIDC listener (and nothing else
/// there: it is the one listener meant to face the outside), liveness/readiness/metrics never on the agent port
/// or the OIDC listener. gRPC services check their own listener features.
/// </summary>
internal static class ListenerRouting
{
    public static void UseListenerRouting(this WebApplication app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        var onOidc = context.Features.Get<OidcConnectionFeature>() is not null;
        var isOidcPath = path == OidcDocuments.DiscoveryPath || path == OidcDocuments.KeysPath;
        var isHealthPath = path.StartsWithSegments("/healthz", StringComparison.Ordinal) || path == "/metrics" || path == CrlPaths.Der || path == CrlPaths.Pem;
        var onAgentPort = context.Features.Get<NodeConnectionFeature>() is not null;
        if (onOidc != isOidcPath || (isHealthPath && onAgentPort))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await next(context).ConfigureAwait(false);
    });
}
