namespace Tessera.Policy.Ast;

/// <summary><c>!operand</c>.</summary>
internal sealed record NotExpr(Expr Operand) : Expr
{
    public override int Height { get; } = Operand.Height + 1;
}

/// <summary><c>-operand</c> (checked negation).</summary>
internal sealed record NegateExpr(Expr Operand) : Expr
{
    public override int Height { get; } = Operand.Height + 1;
}

/// <summary><c>left op right</c>.</summary>
internal sealed record BinaryExpr(BinaryOperator Operator, Expr Left, Expr Right) : Expr
{
    public override int Height { get; } = Math.Max(Left.Height, Right.Height) + 1;
}

/// <summary><c>if condition then consequent else alternative</c>.</summary>
internal sealed record IfExpr(Expr Condition, Expr Then, Expr Else) : Expr
{
    public override int Height { get; } = Math.Max(Condition.Height, Math.Max(Then.Height, Else.Height)) + 1;
}

/// <summary><c>target has attribute</c>.</summary>
internal sealed record HasExpr(Expr Target, string Attribute) : Expr
{
    public override int Height { get; } = Target.Height + 1;
}

/// <summary><c>target like "pattern"</c>.</summary>
internal sealed record LikeExpr(Expr Target, LikePattern Pattern) : Expr
{
    public override int Height { get; } = Target.Height + 1;
}

/// <summary><c>target is Type</c> or <c>target is Type in parent</c>.</summary>
internal sealed record IsExpr(Expr Target, string EntityType, Expr? In) : Expr
{
    public override int Height { get; } = Math.Max(Target.Height, In?.Height ?? 0) + 1;
}

/// <summary><c>target.attribute</c> or <c>target["attribute"]</c>.</summary>
internal sealed record GetAttributeExpr(Expr Target, string Attribute) : Expr
{
    public override int Height { get; } = Target.Height + 1;
}
