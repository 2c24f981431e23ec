namespace Tessera.Policy.Ast;

/// <summary><c>target.name(args)</c>: a built-in set/tag method or an extension method.</summary>
internal sealed record MethodCallExpr(string Name, Expr Target, IReadOnlyList<Expr> Arguments) : Expr
{
    public override int Height { get; } = Math.Max(Target.Height, Max(Arguments)) + 1;
}

/// <summary><c>name(args)</c>: an extension constructor such as <c>ip("10.0.0.1")</c>.</summary>
internal sealed record FunctionCallExpr(string Name, IReadOnlyList<Expr> Arguments) : Expr
{
    public override int Height { get; } = Max(Arguments) + 1;
}

/// <summary><c>[a, b, c]</c>.</summary>
internal sealed record SetExpr(IReadOnlyList<Expr> Items) : Expr
{
    public override int Height { get; } = Max(Items) + 1;
}

/// <summary><c>{ key: value, … }</c>; keys are unique (checked by the parser).</summary>
internal sealed record RecordExpr(IReadOnlyList<KeyValuePair<string, Expr>> Fields) : Expr
{
    public override int Height { get; } = Max(Fields.Select(f => f.Value)) + 1;
}
