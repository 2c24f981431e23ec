using Tessera.Policy.Ast;
using Tessera.Policy.Entities;
using Tessera.Policy.Extensions;
using Tessera.Policy.Values;

namespace Tessera.Policy.Evaluation;

/// <summary>Attribute and tag access, methods, and the operand coercions that raise type errors.</summary>
internal sealed partial class Evaluator
{
    private bool HasAttribute(Value target, string attribute) => target switch
    {
        RecordValue r => r.Fields.ContainsKey(attribute),
        // A reference to an entity that does not exist has no attributes; that is not an error.
        EntityValue e => _entities.TryGet(e.Uid, out var entity) && entity.Attributes.ContainsKey(attribute),
        _ => throw EvaluationException.TypeError("entity or record", target),
    };

    private Value GetAttribute(Value target, string attribute)
    {
        switch (target)
        {
            case RecordValue r:
                return r.Fields.TryGetValue(attribute, out var value)
                    ? value
                    : throw new EvaluationException($"record does not have the attribute `{attribute}`");
            case EntityValue e:
                if (!_entities.TryGet(e.Uid, out var entity))
                {
                    throw new EvaluationException($"entity {e.Uid} does not exist");
                }

                return entity.Attributes.TryGetValue(attribute, out var attr)
                    ? attr
                    : throw new EvaluationException($"{e.Uid} does not have the attribute `{attribute}`");
            default:
                throw EvaluationException.TypeError("entity or record", target);
        }
    }

    private Value EvaluateMethod(MethodCallExpr m)
    {
        var target = Evaluate(m.Target);
        var args = m.Arguments.Select(Evaluate).ToList();
        switch (m.Name)
        {
            case "contains":
                return BoolValue.Of(AsSet(target).Contains(args[0]));
            case "containsAll":
                return BoolValue.Of(AsSet(target).ContainsAll(AsSet(args[0])));
            case "containsAny":
                return BoolValue.Of(AsSet(target).ContainsAny(AsSet(args[0])));
            case "isEmpty":
                return BoolValue.Of(AsSet(target).Count == 0);
            case "hasTag":
            {
                var uid = AsEntity(target);
                var tag = AsString(args[0]);
                return BoolValue.Of(_entities.TryGet(uid, out var entity) && entity.Tags.ContainsKey(tag));
            }

            case "getTag":
            {
                var uid = AsEntity(target);
                var tag = AsString(args[0]);
                if (!_entities.TryGet(uid, out var entity))
                {
                    throw new EvaluationException($"entity {uid} does not exist");
                }

                return entity.Tags.TryGetValue(tag, out var value)
                    ? value
                    : throw new EvaluationException($"{uid} does not have the tag `{tag}`");
            }

            default:
                return ExtensionFunctions.Call(m.Name, [target, .. args]);
        }
    }

    private static bool AsBool(Value v) => v is BoolValue b ? b.Value : throw EvaluationException.TypeError("bool", v);

    private static long AsLong(Value v) => v is LongValue l ? l.Value : throw EvaluationException.TypeError("long", v);

    private static string AsString(Value v) => v is StringValue s ? s.Value : throw EvaluationException.TypeError("string", v);

    private static SetValue AsSet(Value v) => v as SetValue ?? throw EvaluationException.TypeError("set", v);

    private static EntityUid AsEntity(Value v) => v is EntityValue e ? e.Uid : throw EvaluationException.TypeError("entity", v);
}
