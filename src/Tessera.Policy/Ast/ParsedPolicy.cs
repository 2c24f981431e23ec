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
