using Tessera.Policy.Entities;

namespace Tessera.Policy.Authorization;

/// <summary>Who (principal) wants to do what (action) to which resource, in what context.</summary>
public sealed record AuthorizationRequest
{
    /// <summary>The principal entity.</summary>
    public required EntityUid Principal { get; init; }

    /// <summary>The action entity.</summary>
    public required EntityUid Action { get; init; }

    /// <summary>The resource entity.</summary>
    public required EntityUid Resource { get; init; }

    /// <summary>The context record; empty by default.</summary>
    public RequestContext Context { get; init; } = RequestContext.Empty;
}
