using Tessera.Policy.Ast;

namespace Tessera.Policy.Validation;

/// <summary>Enumerates every node of an expression tree, iteratively (trees are bounded in height by the parser, but no recursion is needed here).</summary>
internal static class ExprNodes
{
    public static IEnumerable<Expr> All(Expr root)
    {
        var stack = new Stack<Expr>([root]);
        while (stack.TryPop(out var expr))
        {
            yield return expr;
            foreach (var child in Children(expr))
            {
                stack.Push(child);
            }
        }
    }

    private static IEnumerable<Expr> Children(Expr expr) => expr switch
    {
        NotExpr e => [e.Operand],
        NegateExpr e => [e.Operand],
        BinaryExpr e => [e.Left, e.Right],
        IfExpr e => [e.Condition, e.Then, e.Else],
        HasExpr e => [e.Target],
        LikeExpr e => [e.Target],
        IsExpr e => e.In is null ? [e.Target] : [e.Target, e.In],
        GetAttributeExpr e => [e.Target],
        MethodCallExpr e => [e.Target, .. e.Arguments],
        FunctionCallExpr e => e.Arguments,
        SetExpr e => e.Items,
        RecordExpr e => e.Fields.Select(f => f.Value),
        _ => [],
    };
}
