using System.Runtime.CompilerServices;
using Tessera.Policy.Ast;
using Tessera.Policy.Entities;
using Tessera.Policy.Extensions;
using Tessera.Policy.Values;

namespace Tessera.Policy.Evaluation;

/// <summary>
/// Evaluates expressions for one request against one entity store with Cedar's semantics: no implicit
/// conversions, checked arithmetic, short-circuit <c>&amp;&amp;</c>/<c>||</c> that still type-check the
/// operand they evaluate, and errors (as <see cref="EvaluationException"/>) instead of defaults.
/// </summary>
internal sealed partial class Evaluator(RequestValues request, EntityStore entities)
{
    private readonly RequestValues _request = request;
    private readonly EntityStore _entities = entities;

    public bool EvaluateBool(Expr expr) => AsBool(Evaluate(expr));

    public Value Evaluate(Expr expr)
    {
        // The parser bounds tree height; this is the backstop for trees built some other way.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new EvaluationException("expression is nested too deeply to evaluate");
        }

        return expr switch
        {
            LiteralExpr l => l.Value,
            VariableExpr v => v.Variable switch
            {
                Variable.Principal => _request.Principal,
                Variable.Action => _request.Action,
                Variable.Resource => _request.Resource,
                _ => _request.Context,
            },
            SlotExpr s => throw new EvaluationException($"template slot `?{s.Name}` is not linked"),
            NotExpr n => BoolValue.Of(!AsBool(Evaluate(n.Operand))),
            NegateExpr n => Arithmetic(BinaryOperator.Subtract, 0, AsLong(Evaluate(n.Operand)), "negation"),
            BinaryExpr b => EvaluateBinary(b),
            IfExpr i => AsBool(Evaluate(i.Condition)) ? Evaluate(i.Then) : Evaluate(i.Else),
            HasExpr h => BoolValue.Of(HasAttribute(Evaluate(h.Target), h.Attribute)),
            LikeExpr l => BoolValue.Of(l.Pattern.Matches(AsString(Evaluate(l.Target)))),
            IsExpr i => EvaluateIs(i),
            GetAttributeExpr g => GetAttribute(Evaluate(g.Target), g.Attribute),
            MethodCallExpr m => EvaluateMethod(m),
            FunctionCallExpr f => ExtensionFunctions.Call(f.Name, [.. f.Arguments.Select(Evaluate)]),
            SetExpr s => new SetValue(s.Items.Select(Evaluate).ToList()),
            RecordExpr r => new RecordValue(r.Fields.ToDictionary(f => f.Key, f => Evaluate(f.Value), StringComparer.Ordinal)),
            _ => throw new InvalidOperationException($"unknown expression node {expr.GetType().Name}"),
        };
    }

    private Value EvaluateBinary(BinaryExpr b)
    {
        switch (b.Operator)
        {
            case BinaryOperator.And:
                return BoolValue.Of(AsBool(Evaluate(b.Left)) && AsBool(Evaluate(b.Right)));
            case BinaryOperator.Or:
                return BoolValue.Of(AsBool(Evaluate(b.Left)) || AsBool(Evaluate(b.Right)));
        }

        var left = Evaluate(b.Left);
        var right = Evaluate(b.Right);
        return b.Operator switch
        {
            BinaryOperator.Equal => BoolValue.Of(left.Equals(right)),
            BinaryOperator.NotEqual => BoolValue.Of(!left.Equals(right)),
            BinaryOperator.Less => BoolValue.Of(Compare(left, right) < 0),
            BinaryOperator.LessOrEqual => BoolValue.Of(Compare(left, right) <= 0),
            BinaryOperator.Greater => BoolValue.Of(Compare(left, right) > 0),
            BinaryOperator.GreaterOrEqual => BoolValue.Of(Compare(left, right) >= 0),
            BinaryOperator.Add => Arithmetic(BinaryOperator.Add, AsLong(left), AsLong(right), "addition"),
            BinaryOperator.Subtract => Arithmetic(BinaryOperator.Subtract, AsLong(left), AsLong(right), "subtraction"),
            BinaryOperator.Multiply => Arithmetic(BinaryOperator.Multiply, AsLong(left), AsLong(right), "multiplication"),
            BinaryOperator.In => BoolValue.Of(In(left, right)),
            _ => throw new InvalidOperationException($"unknown operator {b.Operator}"),
        };
    }

    // `<` and friends take two longs, or (since Cedar 4) two datetimes or two durations.
    private static int Compare(Value left, Value right) => (left, right) switch
    {
        (LongValue l, LongValue r) => l.Value.CompareTo(r.Value),
        (DatetimeValue l, DatetimeValue r) => l.Milliseconds.CompareTo(r.Milliseconds),
        (DurationValue l, DurationValue r) => l.Milliseconds.CompareTo(r.Milliseconds),
        (LongValue or DatetimeValue or DurationValue, _) =>
            throw EvaluationException.TypeError(left.TypeName, right),
        _ => throw EvaluationException.TypeError("long, datetime or duration", left),
    };

    private bool In(Value left, Value right)
    {
        var child = AsEntity(left);
        if (right is EntityValue parent)
        {
            return _entities.IsDescendantOf(child, parent.Uid);
        }

        if (right is SetValue set)
        {
            var found = false;
            foreach (var item in set.Items)
            {
                // Every element must be an entity, even after a match (the reference type-checks them all).
                found |= _entities.IsDescendantOf(child, AsEntity(item));
            }

            return found;
        }

        throw EvaluationException.TypeError("entity or set of entities", right);
    }

    private BoolValue EvaluateIs(IsExpr i)
    {
        var uid = AsEntity(Evaluate(i.Target));
        if (!string.Equals(uid.Type, i.EntityType, StringComparison.Ordinal))
        {
            return BoolValue.False;
        }

        return i.In is null ? BoolValue.True : BoolValue.Of(In(new EntityValue(uid), Evaluate(i.In)));
    }

    // Cedar integers are 64-bit and overflow is an error, never a wrap-around.
    private static LongValue Arithmetic(BinaryOperator op, long left, long right, string what)
    {
        try
        {
            return new LongValue(op switch
            {
                BinaryOperator.Add => checked(left + right),
                BinaryOperator.Subtract => checked(left - right),
                _ => checked(left * right),
            });
        }
        catch (OverflowException)
        {
            throw new EvaluationException($"integer overflow in {what}");
        }
    }
}
