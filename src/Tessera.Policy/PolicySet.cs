using Tessera.Policy.Ast;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;
using Tessera.Policy.Evaluation;
using Tessera.Policy.Parsing;
using Tessera.Policy.Values;

namespace Tessera.Policy;

/// <summary>
/// A parsed, immutable set of Cedar policies. Parse once, then call <see cref="IsAuthorized"/> from any
/// number of threads. Policy ids are positional: <c>policy0</c>, <c>policy1</c>, … in source order.
/// </summary>
public sealed class PolicySet
{
    private readonly IReadOnlyList<ParsedPolicy> _policies;

    private PolicySet(IReadOnlyList<ParsedPolicy> policies) => _policies = policies;

    /// <summary>The policy ids in source order.</summary>
    public IReadOnlyList<string> PolicyIds => [.. _policies.Select(p => p.Id)];

    internal IReadOnlyList<ParsedPolicy> Policies => _policies;

    /// <summary>Parses Cedar policy text.</summary>
    /// <param name="text">Zero or more policies.</param>
    /// <returns>The policy set.</returns>
    /// <exception cref="PolicyParseException">The text is not valid Cedar; the message gives line and column.</exception>
    public static PolicySet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new PolicySet(Parser.ParsePolicies(text));
    }

    /// <summary>
    /// Decides a request: a policy whose evaluation errs is skipped and reported; any satisfied forbid
    /// denies; otherwise any satisfied permit allows; otherwise the request is denied by default.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="entities">The entities that attribute access and <c>in</c> consult.</param>
    /// <returns>The decision, the determining policy ids and the erroring policies.</returns>
    public AuthorizationResponse IsAuthorized(AuthorizationRequest request, EntityStore entities)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(entities);
        var evaluator = new Evaluator(
            new RequestValues(
                new EntityValue(request.Principal),
                new EntityValue(request.Action),
                new EntityValue(request.Resource),
                request.Context.Record),
            entities);

        var permits = new List<string>();
        var forbids = new List<string>();
        var errors = new List<PolicyError>();
        foreach (var policy in _policies)
        {
            bool satisfied;
            try
            {
                satisfied = evaluator.EvaluateBool(policy.Condition);
            }
            catch (EvaluationException ex)
            {
                errors.Add(new PolicyError(policy.Id, ex.Message));
                continue;
            }

            if (satisfied)
            {
                (policy.Effect == Effect.Permit ? permits : forbids).Add(policy.Id);
            }
        }

        return forbids.Count > 0
            ? new AuthorizationResponse { Decision = Decision.Deny, Reasons = forbids, Errors = errors }
            : new AuthorizationResponse { Decision = permits.Count > 0 ? Decision.Allow : Decision.Deny, Reasons = permits, Errors = errors };
    }
}
