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

    /// <summary>
    /// Checks the request against a schema as the reference's <c>Request::new</c> does: the action is declared,
    /// the principal and resource types are ones it applies to, and the context has its context type.
    /// </summary>
    /// <param name="schema">The schema.</param>
    /// <returns>What is wrong, one message per problem; empty when the request is valid.</returns>
    public IReadOnlyList<string> Validate(Schema.CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Validation.RequestValidator.Validate(this, schema);
    }
}
