using System.Collections.Immutable;
using Tessera.Policy.Ast;
using Tessera.Policy.Schema;
using Tessera.Policy.Values;

namespace Tessera.Policy.Validation;

/// <summary>Equality, <c>in</c>, <c>is</c>, comparisons and arithmetic.</summary>
internal sealed partial class Typechecker
{
    private const string Comparable = "datetime, or duration, or Long";

    private Typed CheckBinary(BinaryExpr e, ImmutableHashSet<Capability> caps)
    {
        switch (e.Operator)
        {
            case BinaryOperator.Equal:
                return CheckEquality(e.Left, e.Right, caps);
            case BinaryOperator.NotEqual:
                var equal = CheckEquality(e.Left, e.Right, caps);
                return equal.Type is BoolLiteralType b ? Typed.Of(BoolLiteralType.Of(!b.Value)) : equal;
            case BinaryOperator.In:
                return CheckIn(e.Left, e.Right, caps);
            case BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual:
                return CheckComparison(e.Left, e.Right, caps);
            default:
                Fixed(PrimitiveType.Long, (e.Left, "Long", TypeLattice.IsLong), caps);
                return Fixed(PrimitiveType.Long, (e.Right, "Long", TypeLattice.IsLong), caps);
        }
    }

    private Typed CheckEquality(Expr left, Expr right, ImmutableHashSet<Capability> caps)
    {
        var l = Check(left, caps).Type;
        var r = Check(right, caps).Type;
        if (l is null || r is null)
        {
            return Typed.Failed;
        }

        // Two literals (the action variable counts as one) compare at validation time.
        if (LiteralValue(left) is { } a && LiteralValue(right) is { } b)
        {
            return Typed.Of(BoolLiteralType.Of(a.Equals(b)));
        }

        if (TypeLattice.Lub(l, r) is not null)
        {
            return Typed.Of(PrimitiveType.Bool);
        }

        // Entities of different types are never equal; any other mismatch is a strict-mode error.
        return l is EntityType && r is EntityType ? Typed.Of(BoolLiteralType.False) : Incompatible(l, r);
    }

    private Value? LiteralValue(Expr expr) => expr switch
    {
        LiteralExpr literal => literal.Value,
        VariableExpr { Variable: Variable.Action } => new EntityValue(environment.Action),
        _ => null,
    };

    private Typed CheckIn(Expr left, Expr right, ImmutableHashSet<Capability> caps)
    {
        var l = Check(left, caps).Type;
        var r = Check(right, caps).Type;
        if (l is null || r is null)
        {
            return Typed.Failed;
        }

        if (l is not EntityType child)
        {
            Unexpected("an entity type", l);
            return Typed.Of(PrimitiveType.Bool);
        }

        var actionUid = LiteralUid(left) is { } uid && schema.Actions.ContainsKey(uid) ? uid : (Entities.EntityUid?)null;
        switch (r)
        {
            case EntityType parent:
                if (actionUid is { } a && LiteralUid(right) is { } group)
                {
                    return Typed.Of(BoolLiteralType.Of(schema.IsActionDescendant(a, group)));
                }

                return Typed.Of(schema.MayBeDescendant(child.Name, parent.Name) ? PrimitiveType.Bool : BoolLiteralType.False);
            case SetType { Element: EntityType parent }:
                if (actionUid is { } action && right is SetExpr set && set.Items.Select(LiteralUid).ToList() is var groups && groups.All(g => g is not null))
                {
                    return Typed.Of(BoolLiteralType.Of(groups.Any(g => schema.IsActionDescendant(action, g!.Value))));
                }

                return Typed.Of(schema.MayBeDescendant(child.Name, parent.Name) ? PrimitiveType.Bool : BoolLiteralType.False);
            default:
                Unexpected("an entity type or a set of entities", r);
                return Typed.Of(PrimitiveType.Bool);
        }
    }

    private Typed CheckIs(IsExpr e, ImmutableHashSet<Capability> caps)
    {
        if (e.In is not null)
        {
            // `x is T in y` means `x is T && x in y`.
            return CheckAnd(new BinaryExpr(BinaryOperator.And, e with { In = null }, new BinaryExpr(BinaryOperator.In, e.Target, e.In)), caps);
        }

        var target = Check(e.Target, caps).Type;
        switch (target)
        {
            case null:
                return Typed.Failed;
            case EntityType entity:
                return Typed.Of(BoolLiteralType.Of(entity.Name == e.EntityType));
            default:
                Unexpected("an entity type", target);
                return Typed.Of(PrimitiveType.Bool);
        }
    }

    // Long, datetime and duration are ordered; both operands must be the same one of them.
    private Typed CheckComparison(Expr left, Expr right, ImmutableHashSet<Capability> caps)
    {
        var l = Check(left, caps).Type;
        var r = Check(right, caps).Type;
        static bool Ordered(SchemaType t) => TypeLattice.IsLong(t) || TypeLattice.IsExtension(t, "datetime") || TypeLattice.IsExtension(t, "duration");
        if (l is not null && !Ordered(l))
        {
            Unexpected(Comparable, l);
            if (r is not null && !Ordered(r))
            {
                Unexpected(Comparable, r);
            }
        }
        else if (l is not null && r is not null && r != l)
        {
            Unexpected(l.ToString()!, r);
        }

        return Typed.Of(PrimitiveType.Bool);
    }
}
