using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Spiffe.AspNetCore.Authentication;
using Tessera.Spiffe.AspNetCore.Internal;
using Tessera.Spiffe.Tls;

namespace Tessera.Spiffe.AspNetCore.Authorization;

/// <summary>
/// A policy requirement met when the caller's SPIFFE ID satisfies a <see cref="PeerAuthorizer"/>. It handles
/// itself, so nothing else needs registering; a refusal is logged (event 6102) and answered 403 by ASP.NET Core.
/// </summary>
internal sealed class SpiffeIdRequirement(PeerAuthorizer authorizer) : AuthorizationHandler<SpiffeIdRequirement>, IAuthorizationRequirement
{
    public PeerAuthorizer Authorizer { get; } = authorizer;

    /// <inheritdoc/>
    public override string ToString() => $"SpiffeIdRequirement: {Authorizer.Description}";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SpiffeIdRequirement requirement)
    {
        var id = context.User.FindSpiffeId();
        string? reason;
        if (id is null)
        {
            reason = $"the caller has no SPIFFE ID (expected {Authorizer.Description})";
        }
        else if (Authorizer.IsAuthorized(id.Value, out reason))
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        context.Fail(new AuthorizationFailureReason(this, reason));
        if (context.Resource is HttpContext http && http.RequestServices.GetService<ILoggerFactory>() is { } loggers)
        {
            SpiffeLog.PolicyRefused(loggers.CreateLogger(SpiffeLog.Category), id?.ToString() ?? "(none)", reason);
        }

        return Task.CompletedTask;
    }
}
