using Tessera.Policy.Ast;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;
using Tessera.Policy.Evaluation;
using Tessera.Policy.Parsing;
using Tessera.Policy.Values;

namespace Tessera.Policy;

/// <summary>
/// A parsed, immutable set of Cedar policies. Parse once, then call <see cref="IsAuthorized(AuthorizationRequest, EntityStore)"/> from any
/// number of threads. Policy ids are positional: <c>policy0</c>, <c>policy1</c>, … in source order.
/// </summary>
public sealed class PolicySet
{
    private readonly IReadOnlyList<ParsedPolicy> _policies;
    private readonly ScopeIndex _index;

    private PolicySet(IReadOnlyList<ParsedPolicy> policies)
    {
        _policies = policies;
        _index = new ScopeIndex(policies);
    }

    /// <summary>The ids of the static and linked policies, in order.</summary>
    public IReadOnlyList<string> PolicyIds => [.. _policies.Where(p => !p.IsTemplate).Select(p => p.Id)];

    /// <summary>The ids of the templates (policies with <c>?principal</c> or <c>?resource</c> slots), in order.</summary>
    public IReadOnlyList<string> TemplateIds => [.. _policies.Where(p => p.IsTemplate).Select(p => p.Id)];

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
    /// Validates every policy and template against <paramref name="schema"/> in strict mode, as the reference
    /// validator does: unknown entity types, actions and enum ids, attributes that may be missing, type errors,
    /// invalid extension literals. Policies that can never apply are not errors.
    /// </summary>
    /// <param name="schema">The schema.</param>
    /// <returns>Every error found, with the policy id; <see cref="Validation.ValidationResult.IsValid"/> when there are none.</returns>
    public Validation.ValidationResult Validate(Schema.CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Validation.PolicyValidator.Validate(_policies, schema);
    }

    /// <summary>Returns a new policy set with a policy linked from a template by filling its slots.</summary>
    /// <param name="templateId">The id of a template in this set.</param>
    /// <param name="linkId">The id of the new policy; must not be in use.</param>
    /// <param name="principal">The value for <c>?principal</c>; required exactly when the template has that slot.</param>
    /// <param name="resource">The value for <c>?resource</c>; required exactly when the template has that slot.</param>
    /// <returns>The extended policy set; this one is unchanged.</returns>
    /// <exception cref="ArgumentException">The template does not exist, the id is taken, or the slot values do not match the template's slots.</exception>
    public PolicySet Link(string templateId, string linkId, EntityUid? principal = null, EntityUid? resource = null)
    {
        var template = _policies.FirstOrDefault(p => p.Id == templateId && p.IsTemplate)
            ?? throw new ArgumentException($"no template with id `{templateId}`", nameof(templateId));
        if (_policies.Any(p => p.Id == linkId))
        {
            throw new ArgumentException($"a policy or template with id `{linkId}` already exists", nameof(linkId));
        }

        return new PolicySet([.. _policies, template.Link(linkId, principal, resource)]);
    }

    /// <summary>
    /// Validates the request against <paramref name="schema"/> first (as the reference's <c>Request::new</c>
    /// with a schema), then decides it. An invalid request is denied without evaluating any policy and the
    /// response lists the problems in <see cref="AuthorizationResponse.RequestErrors"/>: it fails closed.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="entities">The entities that attribute access and <c>in</c> consult.</param>
    /// <param name="schema">The schema the request must conform to.</param>
    /// <returns>The decision, reasons and errors; or deny with the request errors.</returns>
    public AuthorizationResponse IsAuthorized(AuthorizationRequest request, EntityStore entities, Schema.CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = request.Validate(schema);
        return problems.Count == 0
            ? IsAuthorized(request, entities)
            : new AuthorizationResponse { Decision = Decision.Deny, Reasons = [], Errors = [], RequestErrors = problems };
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
        // Only policies whose scope can match are evaluated; the index never drops one that could
        // contribute a reason or an error, so the response equals evaluating every policy.
        foreach (var i in _index.Candidates(request.Principal, request.Action, request.Resource, entities))
        {
            var policy = _policies[i];
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
