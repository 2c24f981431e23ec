using System.Collections.Immutable;
using Tessera.Policy.Ast;
using Tessera.Policy.Evaluation;
using Tessera.Policy.Extensions;
using Tessera.Policy.Schema;
using Tessera.Policy.Values;

namespace Tessera.Policy.Validation;

/// <summary>Set methods, tag methods, extension methods and extension constructors.</summary>
internal sealed partial class Typechecker
{
    private Typed CheckMethod(MethodCallExpr e, ImmutableHashSet<Capability> caps)
    {
        switch (e.Name)
        {
            case "hasTag" or "getTag":
                return CheckTagMethod(e, caps);
            case "contains" or "containsAll" or "containsAny" or "isEmpty":
                return CheckSetMethod(e, caps);
            default:
                return CheckExtensionCall(e.Name, [e.Target, .. e.Arguments], caps);
        }
    }

    private Typed CheckSetMethod(MethodCallExpr e, ImmutableHashSet<Capability> caps)
    {
        var target = Check(e.Target, caps).Type;
        var argument = e.Arguments.Count == 0 ? null : Check(e.Arguments[0], caps).Type;
        if (target is null || (e.Arguments.Count > 0 && argument is null))
        {
            return Typed.Failed;
        }

        if (target is not SetType set)
        {
            Unexpected("a set", target);
            return Typed.Failed;
        }

        switch (e.Name)
        {
            case "isEmpty":
                return Typed.Of(PrimitiveType.Bool);
            case "contains":
                return TypeLattice.Lub(argument!, set.Element) is null ? Incompatible(argument!, set.Element) : Typed.Of(PrimitiveType.Bool);
            default:
                if (argument is not SetType other)
                {
                    Unexpected("a set", argument!);
                    return Typed.Failed;
                }

                return TypeLattice.Lub(set, other) is null ? Incompatible(set, other) : Typed.Of(PrimitiveType.Bool);
        }
    }

    private Typed CheckConstructor(FunctionCallExpr e, ImmutableHashSet<Capability> caps)
    {
        if (!ExtensionSignatures.TryGet(e.Name, out var parameters, out var result) || e.Arguments.Count != parameters.Length)
        {
            return CheckExtensionCall(e.Name, e.Arguments, caps);
        }

        // Strict mode: constructors take a literal string, which must parse, so they cannot fail at run time.
        if (e.Arguments[0] is not LiteralExpr { Value: StringValue text })
        {
            _errors.Add("extension constructors may not be called with non-literal expressions");
            return Typed.Of(result);
        }

        try
        {
            ExtensionFunctions.Call(e.Name, [text]);
        }
        catch (EvaluationException)
        {
            _errors.Add($"error during extension function argument validation: failed to parse as {ExtensionSignatures.ParseFailure(e.Name)}: `{text}`");
        }

        return Typed.Of(result);
    }

    private Typed CheckExtensionCall(string name, IReadOnlyList<Expr> arguments, ImmutableHashSet<Capability> caps)
    {
        if (!ExtensionSignatures.TryGet(name, out var parameters, out var result))
        {
            _errors.Add($"undefined extension function: {name}");
            return Typed.Failed;
        }

        if (arguments.Count != parameters.Length)
        {
            _errors.Add($"wrong number of arguments in extension function application. Expected {parameters.Length}, got {arguments.Count}");
            return Typed.Of(result);
        }

        foreach (var (argument, parameter) in arguments.Zip(parameters))
        {
            if (Check(argument, caps).Type is { } type && type != parameter)
            {
                Unexpected(parameter.ToString()!, type);
            }
        }

        return Typed.Of(result);
    }
}
