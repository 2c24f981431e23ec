using Tessera.Policy.Values;

namespace Tessera.Policy.Ast;

/// <summary>A literal value: bool, long, string or entity reference.</summary>
internal sealed record LiteralExpr(Value Value) : Expr
{
    public override int Height => 1;
}

/// <summary>One of the four request variables.</summary>
internal sealed record VariableExpr(Variable Variable) : Expr
{
    public override int Height => 1;
}

/// <summary>A template slot, <c>?principal</c> or <c>?resource</c>; evaluating an unlinked slot is an error.</summary>
internal sealed record SlotExpr(string Name) : Expr
{
    public override int Height => 1;
}
