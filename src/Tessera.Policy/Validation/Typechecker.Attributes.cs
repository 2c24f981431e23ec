using System.Collections.Immutable;
using Tessera.Policy.Ast;
using Tessera.Policy.Schema;

namespace Tessera.Policy.Validation;

/// <summary><c>has</c>, attribute access and entity tags, with the capabilities that make optional ones safe.</summary>
internal sealed partial class Typechecker
{
    private Typed CheckHas(HasExpr e, ImmutableHashSet<Capability> caps)
    {
        var target = Check(e.Target, caps).Type;
        var capability = new Capability(e.Target, e.Attribute, null);
        switch (target)
        {
            case null:
                return Typed.Failed;
            case RecordType record:
                return HasIn(record, capability, caps, knownToExist: true);
            case EntityType entity when schema.EntityTypes.TryGetValue(entity.Name, out var definition):
                // An entity may be missing from the store, and then `has` is false even for a required attribute.
                return HasIn(definition.Attributes, capability, caps, knownToExist: false);
            case EntityType:
                return Typed.Of(BoolLiteralType.False); // actions have no attributes
            default:
                Unexpected("an entity or record type", target);
                return Typed.Of(PrimitiveType.Bool);
        }
    }

    private static Typed HasIn(RecordType record, Capability capability, ImmutableHashSet<Capability> caps, bool knownToExist)
    {
        if (!record.Attributes.TryGetValue(capability.Attribute!, out var attribute))
        {
            return Typed.Of(BoolLiteralType.False);
        }

        return caps.Contains(capability) || (attribute.Required && knownToExist)
            ? Typed.Of(BoolLiteralType.True)
            : new Typed(PrimitiveType.Bool, [capability]);
    }

    private Typed CheckGetAttribute(GetAttributeExpr e, ImmutableHashSet<Capability> caps)
    {
        var target = Check(e.Target, caps).Type;
        RecordType? record = target switch
        {
            RecordType r => r,
            EntityType entity => schema.EntityTypes.TryGetValue(entity.Name, out var definition) ? definition.Attributes : RecordType.Empty,
            _ => null,
        };
        if (target is null)
        {
            return Typed.Failed;
        }

        if (record is null)
        {
            Unexpected("an entity or record type", target);
            return Typed.Failed;
        }

        if (!record.Attributes.TryGetValue(e.Attribute, out var attribute))
        {
            _errors.Add($"attribute {AccessPath(e)} not found");
            return Typed.Failed;
        }

        if (!attribute.Required && !caps.Contains(new Capability(e.Target, e.Attribute, null)))
        {
            _errors.Add($"unable to guarantee safety of access to optional attribute {AccessPath(e)}");
            return Typed.Failed;
        }

        return Typed.Of(attribute.Type);
    }

    private Typed CheckTagMethod(MethodCallExpr e, ImmutableHashSet<Capability> caps)
    {
        var target = Check(e.Target, caps).Type;
        var key = Check(e.Arguments[0], caps).Type;
        if (target is null || key is null)
        {
            return Typed.Failed;
        }

        if (!TypeLattice.IsString(key))
        {
            Unexpected("String", key);
            return Typed.Failed;
        }

        if (target is not EntityType entity)
        {
            Unexpected("an entity type", target);
            return Typed.Failed;
        }

        var tagType = schema.EntityTypes.TryGetValue(entity.Name, out var definition) ? definition.Tags : null;
        var capability = new Capability(e.Target, null, e.Arguments[0]);
        if (e.Name == "hasTag")
        {
            return tagType is null ? Typed.Of(BoolLiteralType.False)
                : caps.Contains(capability) ? Typed.Of(BoolLiteralType.True)
                : new Typed(PrimitiveType.Bool, [capability]);
        }

        if (tagType is null || !caps.Contains(capability))
        {
            var shown = e.Arguments[0] is LiteralExpr literal ? literal.Value.ToString() : "(computed key)";
            _errors.Add($"unable to guarantee safety of access to tag `{shown}` on entity type `{entity.Name}`");
            return Typed.Failed;
        }

        return Typed.Of(tagType);
    }

    // `principal.address.city` is shown as "`address.city` on entity type `User`", context attributes
    // with the action, anything else by the attribute name alone.
    private string AccessPath(GetAttributeExpr e)
    {
        var path = new List<string> { e.Attribute };
        var root = e.Target;
        while (root is GetAttributeExpr inner)
        {
            path.Insert(0, inner.Attribute);
            root = inner.Target;
        }

        var dotted = $"`{string.Join('.', path)}`";
        return root switch
        {
            VariableExpr { Variable: Ast.Variable.Context } => $"{dotted} in context for {environment.Action}",
            VariableExpr { Variable: var v } => $"{dotted} on entity type `{((EntityType)VariableType(v)).Name}`",
            LiteralExpr { Value: Values.EntityValue entity } => $"{dotted} on entity type `{entity.Uid.Type}`",
            _ => $"`{e.Attribute}`",
        };
    }
}
