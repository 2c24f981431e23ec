using System.Collections.Immutable;
using Tessera.Policy.Ast;
using Tessera.Policy.Entities;
using Tessera.Policy.Schema;
using Tessera.Policy.Values;

namespace Tessera.Policy.Validation;

/// <summary>
/// Cedar's strict-mode typechecker for one request environment, following the reference's type rules (the
/// Lean specification in cedar-spec and the Rust validator): singleton boolean types make <c>&amp;&amp;</c>,
/// <c>||</c> and <c>if</c> skip branches that cannot run; <c>has</c> guards produce capabilities that make
/// optional attributes and tags safe to read. Errors are collected; a subexpression that cannot be typed
/// yields <see cref="Typed.Failed"/> and its parents stay silent, while operators whose result type is
/// fixed (arithmetic, comparisons) report a bad operand and carry on, as the reference does.
/// </summary>
internal sealed partial class Typechecker(CedarSchema schema, RequestEnvironment environment)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Types a whole policy condition, which must be boolean; returns its type or null.</summary>
    public SchemaType? CheckPolicy(Expr condition)
    {
        var result = Check(condition, []);
        if (result.Type is { } type && !TypeLattice.IsBool(type))
        {
            Unexpected("Bool", type);
            return null;
        }

        return result.Type;
    }

    private Typed Check(Expr expr, ImmutableHashSet<Capability> caps) => expr switch
    {
        LiteralExpr literal => CheckLiteral(literal.Value),
        VariableExpr variable => Typed.Of(VariableType(variable.Variable)),
        SlotExpr slot => Typed.Of(new EntityType(slot.Name == "principal" ? environment.PrincipalType : environment.ResourceType)),
        IfExpr e => CheckIf(e, caps),
        BinaryExpr { Operator: BinaryOperator.And } e => CheckAnd(e, caps),
        BinaryExpr { Operator: BinaryOperator.Or } e => CheckOr(e, caps),
        BinaryExpr e => CheckBinary(e, caps),
        NotExpr e => CheckNot(e, caps),
        NegateExpr e => Fixed(PrimitiveType.Long, (e.Operand, "Long", TypeLattice.IsLong), caps),
        LikeExpr e => Fixed(PrimitiveType.Bool, (e.Target, "String", TypeLattice.IsString), caps),
        IsExpr e => CheckIs(e, caps),
        HasExpr e => CheckHas(e, caps),
        GetAttributeExpr e => CheckGetAttribute(e, caps),
        MethodCallExpr e => CheckMethod(e, caps),
        FunctionCallExpr e => CheckConstructor(e, caps),
        SetExpr e => CheckSet(e, caps),
        RecordExpr e => CheckRecord(e, caps),
        _ => throw new InvalidOperationException($"the validator does not handle {expr.GetType().Name}"),
    };

    private Typed CheckLiteral(Value value) => value switch
    {
        BoolValue b => Typed.Of(BoolLiteralType.Of(b.Value)),
        LongValue => Typed.Of(PrimitiveType.Long),
        StringValue => Typed.Of(PrimitiveType.String),
        // Unknown types and actions were reported by SchemaReferenceChecker for the whole policy.
        EntityValue e => schema.IsKnownEntityType(e.Uid.Type) ? Typed.Of(new EntityType(e.Uid.Type)) : Typed.Failed,
        _ => throw new InvalidOperationException($"unexpected literal {value}"),
    };

    private SchemaType VariableType(Variable variable) => variable switch
    {
        Variable.Principal => new EntityType(environment.PrincipalType),
        Variable.Action => new EntityType(environment.Action.Type),
        Variable.Resource => new EntityType(environment.ResourceType),
        _ => environment.Context,
    };

    // The action variable is the environment's action, so it counts as a literal (the reference substitutes it).
    private EntityUid? LiteralUid(Expr expr) => expr switch
    {
        LiteralExpr { Value: EntityValue e } => e.Uid,
        VariableExpr { Variable: Variable.Action } => environment.Action,
        _ => null,
    };

    private Typed CheckIf(IfExpr e, ImmutableHashSet<Capability> caps)
    {
        var condition = Check(e.Condition, caps);
        if (condition.Type is not { } type)
        {
            return Typed.Failed;
        }

        switch (type)
        {
            case BoolLiteralType { Value: true }:
                var then = Check(e.Then, caps.Union(condition.Capabilities));
                return then with { Capabilities = condition.Capabilities.Union(then.Capabilities) };
            case BoolLiteralType { Value: false }:
                return Check(e.Else, caps);
            case PrimitiveType { Name: "Bool" }:
                var yes = Check(e.Then, caps.Union(condition.Capabilities));
                var no = Check(e.Else, caps);
                if (yes.Type is null || no.Type is null)
                {
                    return Typed.Failed;
                }

                return TypeLattice.Lub(yes.Type, no.Type) is { } joined
                    ? new Typed(joined, condition.Capabilities.Union(yes.Capabilities).Intersect(no.Capabilities))
                    : Incompatible(yes.Type, no.Type);
            default:
                Unexpected("Bool", type);
                return Typed.Failed;
        }
    }

    private Typed CheckAnd(BinaryExpr e, ImmutableHashSet<Capability> caps)
    {
        var left = CheckBool(e.Left, caps);
        if (left.Type is not { } l)
        {
            return Typed.Failed;
        }

        if (l is BoolLiteralType { Value: false })
        {
            return Typed.Of(BoolLiteralType.False);
        }

        var right = CheckBool(e.Right, caps.Union(left.Capabilities));
        return right.Type switch
        {
            null => Typed.Failed,
            BoolLiteralType { Value: false } => Typed.Of(BoolLiteralType.False),
            BoolLiteralType { Value: true } => new Typed(l, left.Capabilities.Union(right.Capabilities)),
            _ => new Typed(PrimitiveType.Bool, left.Capabilities.Union(right.Capabilities)),
        };
    }

    private Typed CheckOr(BinaryExpr e, ImmutableHashSet<Capability> caps)
    {
        var left = CheckBool(e.Left, caps);
        if (left.Type is not { } l)
        {
            return Typed.Failed;
        }

        if (l is BoolLiteralType { Value: true })
        {
            return Typed.Of(BoolLiteralType.True);
        }

        var right = CheckBool(e.Right, caps);
        if (l is BoolLiteralType { Value: false } || right.Type is null)
        {
            return right;
        }

        return right.Type switch
        {
            BoolLiteralType { Value: true } => Typed.Of(BoolLiteralType.True),
            BoolLiteralType { Value: false } => left,
            _ => new Typed(PrimitiveType.Bool, left.Capabilities.Intersect(right.Capabilities)),
        };
    }

    private Typed CheckNot(NotExpr e, ImmutableHashSet<Capability> caps)
    {
        var operand = CheckBool(e.Operand, caps);
        return operand.Type switch
        {
            null => Typed.Failed,
            BoolLiteralType b => Typed.Of(BoolLiteralType.Of(!b.Value)),
            _ => Typed.Of(PrimitiveType.Bool),
        };
    }

    /// <summary>Types an operand that must be boolean; any other type is reported and fails.</summary>
    private Typed CheckBool(Expr expr, ImmutableHashSet<Capability> caps)
    {
        var result = Check(expr, caps);
        if (result.Type is { } type && !TypeLattice.IsBool(type))
        {
            Unexpected("Bool", type);
            return Typed.Failed;
        }

        return result;
    }

    private Typed CheckSet(SetExpr e, ImmutableHashSet<Capability> caps)
    {
        if (e.Items.Count == 0)
        {
            _errors.Add("empty set literals are forbidden in policies");
            return Typed.Failed;
        }

        var types = e.Items.Select(item => Check(item, caps).Type).ToList();
        if (types.Any(t => t is null))
        {
            return Typed.Failed;
        }

        var element = types[0]!;
        foreach (var type in types.Skip(1))
        {
            if (TypeLattice.Lub(element, type!) is not { } joined)
            {
                return Incompatible(element, type!);
            }

            element = joined;
        }

        return Typed.Of(new SetType(element));
    }

    private Typed CheckRecord(RecordExpr e, ImmutableHashSet<Capability> caps)
    {
        var attributes = new Dictionary<string, AttributeType>(StringComparer.Ordinal);
        var failed = false;
        foreach (var (name, value) in e.Fields)
        {
            var type = Check(value, caps).Type;
            failed |= type is null;
            attributes[name] = new AttributeType(type ?? PrimitiveType.Bool, Required: true);
        }

        return failed ? Typed.Failed : Typed.Of(new RecordType(attributes));
    }

    /// <summary>An operator with a fixed result type: each operand must satisfy its check; mismatches are reported and typing carries on.</summary>
    private Typed Fixed(SchemaType result, (Expr Operand, string Expected, Func<SchemaType, bool> Accepts) operand, ImmutableHashSet<Capability> caps)
    {
        var type = Check(operand.Operand, caps).Type;
        if (type is not null && !operand.Accepts(type))
        {
            Unexpected(operand.Expected, type);
        }

        return Typed.Of(result);
    }

    private void Unexpected(string expected, SchemaType actual) => _errors.Add($"unexpected type: expected {expected} but saw {actual}");

    private Typed Incompatible(SchemaType a, SchemaType b)
    {
        _errors.Add($"the types {a} and {b} are not compatible");
        return Typed.Failed;
    }
}
