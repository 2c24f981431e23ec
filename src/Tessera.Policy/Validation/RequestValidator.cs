using Tessera.Policy.Authorization;
using Tessera.Policy.Schema;
using Tessera.Policy.Values;

namespace Tessera.Policy.Validation;

/// <summary>
/// Checks a request against a schema, as the reference's <c>Request::new</c> with a schema: the action is
/// declared, the principal and resource types are ones the action applies to (and valid ids of enumerated
/// types), and the context has the action's context type.
/// </summary>
internal static class RequestValidator
{
    public static IReadOnlyList<string> Validate(AuthorizationRequest request, CedarSchema schema)
    {
        if (!schema.Actions.TryGetValue(request.Action, out var action))
        {
            return [$"request's action `{request.Action}` is not declared in the schema"];
        }

        var errors = new List<string>();
        Check("principal", request.Principal, action.PrincipalTypes);
        Check("resource", request.Resource, action.ResourceTypes);
        if (ValueConformance.CheckRecord(request.Context.Record, action.Context, "context", schema) is { } problem)
        {
            errors.Add($"context is not valid for `{action.Uid}`: {problem}");
        }

        return errors;

        void Check(string role, Entities.EntityUid uid, IReadOnlyList<string> allowed)
        {
            if (!allowed.Contains(uid.Type))
            {
                var valid = allowed.Count == 0 ? "none" : string.Join(", ", allowed.Select(t => $"`{t}`"));
                errors.Add($"{role} type `{uid.Type}` is not valid for `{action.Uid}` (valid {role} types: {valid})");
            }
            else if (ValueConformance.CheckEnum(new EntityValue(uid), schema) is { } enumProblem)
            {
                errors.Add(enumProblem);
            }
        }
    }
}
