using Microsoft.AspNetCore.Authorization;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;

namespace Tessera.Spiffe.AspNetCore.Authorization;

/// <summary>
/// Policy helpers that require a caller by SPIFFE ID (the <c>spiffe_id</c> claim, set by the SpiffeMtls
/// authentication scheme). An authenticated caller that does not match is answered 403, with one log line (event 6102).
/// </summary>
public static class SpiffeAuthorizationPolicyBuilderExtensions
{
    /// <summary>Requires the caller to be one of <paramref name="ids"/>.</summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="ids">The accepted SPIFFE IDs (at least one).</param>
    /// <returns>The builder, for chaining.</returns>
    public static AuthorizationPolicyBuilder RequireSpiffeId(this AuthorizationPolicyBuilder builder, params SpiffeId[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return builder.RequireSpiffeId(ids.Length == 1 ? PeerAuthorizer.Id(ids[0]) : PeerAuthorizer.OneOf(ids));
    }

    /// <summary>Requires the caller to be a member of <paramref name="trustDomain"/>.</summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="trustDomain">The accepted trust domain.</param>
    /// <returns>The builder, for chaining.</returns>
    public static AuthorizationPolicyBuilder RequireTrustDomain(this AuthorizationPolicyBuilder builder, TrustDomain trustDomain) =>
        builder.RequireSpiffeId(PeerAuthorizer.MemberOf(trustDomain));

    /// <summary>Requires the caller's SPIFFE ID to satisfy <paramref name="predicate"/>.</summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="predicate">The test; it must not throw.</param>
    /// <param name="description">What the predicate accepts, for the refusal log line.</param>
    /// <returns>The builder, for chaining.</returns>
    public static AuthorizationPolicyBuilder RequireSpiffeId(this AuthorizationPolicyBuilder builder, Func<SpiffeId, bool> predicate, string description) =>
        builder.RequireSpiffeId(PeerAuthorizer.Predicate(predicate, description));

    /// <summary>Requires the caller's SPIFFE ID to satisfy <paramref name="authorizer"/>.</summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="authorizer">The test, as used for TLS peers.</param>
    /// <returns>The builder, for chaining.</returns>
    public static AuthorizationPolicyBuilder RequireSpiffeId(this AuthorizationPolicyBuilder builder, PeerAuthorizer authorizer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(authorizer);
        return builder.AddRequirements(new SpiffeIdRequirement(authorizer));
    }
}
