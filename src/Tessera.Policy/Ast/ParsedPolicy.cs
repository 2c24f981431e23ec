namespace Tessera.Policy.Ast;

/// <summary>
/// A parsed policy. <see cref="Condition"/> is the scope constraints and the when/unless clauses folded
/// into one boolean expression, evaluated with Cedar's <c>&amp;&amp;</c> semantics.
/// </summary>
internal sealed record ParsedPolicy(
    string Id,
    Effect Effect,
    IReadOnlyDictionary<string, string> Annotations,
    ScopeConstraint Principal,
    ScopeConstraint Action,
    ScopeConstraint Resource,
    IReadOnlyList<Condition> Conditions)
{
    public Expr Condition { get; } = Fold(Principal, Action, Resource, Conditions);

    /// <summary>True for a template: a policy with <c>?principal</c> or <c>?resource</c> in its scope. Templates are never evaluated.</summary>
    public bool IsTemplate => Principal.Slot is not null || Resource.Slot is not null;

    /// <summary>The template this policy was linked from, if any.</summary>
    public string? TemplateId { get; init; }

    /// <summary>A static policy made from this template with its slots filled.</summary>
    public ParsedPolicy Link(string id, Entities.EntityUid? principal, Entities.EntityUid? resource)
    {
        if (Principal.Slot is null && principal is not null)
        {
            throw new ArgumentException($"template {Id} has no ?principal slot", nameof(principal));
        }

        if (Resource.Slot is null && resource is not null)
        {
            throw new ArgumentException($"template {Id} has no ?resource slot", nameof(resource));
        }

        // A new instance, not `with`: Condition is computed from the scope at construction.
        return new ParsedPolicy(id, Effect, Annotations, Principal.Link(principal), Action, Resource.Link(resource), Conditions) { TemplateId = Id };
    }

    private static Expr Fold(ScopeConstraint principal, ScopeConstraint action, ScopeConstraint resource, IReadOnlyList<Condition> conditions)
    {
        Expr result = new BinaryExpr(
            BinaryOperator.And,
            principal.ToExpr(Variable.Principal),
            new BinaryExpr(BinaryOperator.And, action.ToExpr(Variable.Action), resource.ToExpr(Variable.Resource)));
        foreach (var condition in conditions)
        {
            result = new BinaryExpr(BinaryOperator.And, result, condition.IsWhen ? condition.Body : new NotExpr(condition.Body));
        }

        return result;
    }
}
