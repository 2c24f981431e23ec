namespace Tessera.Policy.Ast;

/// <summary>
/// A node of a parsed Cedar expression. <see cref="Height"/> is computed when the node is built so that
/// the parser can refuse trees too deep for the recursive evaluator (long operator chains nest without
/// any parentheses).
/// </summary>
internal abstract record Expr
{
    public abstract int Height { get; }

    protected static int Max(IEnumerable<Expr> children) => children.Select(c => c.Height).DefaultIfEmpty(0).Max();
}
