using System.Text.Json;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;
using Tessera.Policy.Schema;

namespace Tessera.Cli.Policy;

/// <summary>
/// Reads the cases of a <c>tessera policy test</c> file: a JSON array of
/// <c>{"name", "principal", "action", "resource", "context"?, "decision", "reasons"?}</c>. UIDs are Cedar syntax
/// (<c>"User::\"alice\""</c>) or Cedar's JSON form (<c>{"type": "User", "id": "alice"}</c>). Every problem is
/// collected, each naming the case index and the field, so one run shows all of them; with a schema the context
/// is read through it and each request is validated against it, as <c>tessera policy authorize</c> does.
/// </summary>
internal static class PolicyTestFile
{
    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "name", "principal", "action", "resource", "context", "decision", "reasons",
    };

    public static List<PolicyTestCase> Read(string json, CedarSchema? schema, List<string> problems)
    {
        var cases = new List<PolicyTestCase>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            problems.Add($"not JSON: {ex.Message}");
            return cases;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                problems.Add("expected a JSON array of test cases");
                return cases;
            }

            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (ReadCase(element, index, schema, problems) is { } testCase)
                {
                    cases.Add(testCase);
                }

                index++;
            }
        }

        return cases;
    }

    private static PolicyTestCase? ReadCase(JsonElement element, int index, CedarSchema? schema, List<string> problems)
    {
        var before = problems.Count;
        void Problem(string field, string message) => problems.Add($"case {index}{(field.Length == 0 ? string.Empty : $", field \"{field}\"")}: {message}");

        if (element.ValueKind != JsonValueKind.Object)
        {
            Problem(string.Empty, $"expected an object, found {element.ValueKind}");
            return null;
        }

        foreach (var property in element.EnumerateObject().Where(p => !Fields.Contains(p.Name)))
        {
            Problem(property.Name, $"unknown field (expected one of {string.Join(", ", Fields)})");
        }

        var name = element.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String
            ? nameElement.GetString()!
            : null;
        if (name is null)
        {
            Problem("name", "required: a string");
        }

        var principal = ReadUid(element, "principal", Problem);
        var action = ReadUid(element, "action", Problem);
        var resource = ReadUid(element, "resource", Problem);

        Decision? decision = element.TryGetProperty("decision", out var decisionElement) && decisionElement.ValueKind == JsonValueKind.String
            ? decisionElement.GetString() switch
            {
                "allow" => Decision.Allow,
                "deny" => Decision.Deny,
                _ => null,
            }
            : null;
        if (decision is null)
        {
            Problem("decision", "required: \"allow\" or \"deny\"");
        }

        HashSet<string>? reasons = null;
        if (element.TryGetProperty("reasons", out var reasonsElement))
        {
            if (reasonsElement.ValueKind == JsonValueKind.Array && reasonsElement.EnumerateArray().All(r => r.ValueKind == JsonValueKind.String))
            {
                reasons = [.. reasonsElement.EnumerateArray().Select(r => r.GetString()!)];
            }
            else
            {
                Problem("reasons", "expected an array of policy ids (strings)");
            }
        }

        var context = RequestContext.Empty;
        if (element.TryGetProperty("context", out var contextElement) && action is { } contextAction)
        {
            try
            {
                context = schema is null ? RequestContext.FromJson(contextElement) : RequestContext.FromJson(contextElement, schema, contextAction);
            }
            catch (FormatException ex)
            {
                Problem("context", ex.Message);
            }
        }

        if (problems.Count > before || principal is null || action is null || resource is null)
        {
            return null;
        }

        var request = new AuthorizationRequest { Principal = principal.Value, Action = action.Value, Resource = resource.Value, Context = context };
        if (schema is not null)
        {
            foreach (var refusal in request.Validate(schema))
            {
                Problem(string.Empty, $"request refused by the schema: {refusal}");
            }
        }

        return problems.Count > before ? null : new PolicyTestCase(name!, request, decision!.Value, reasons);
    }

    private static EntityUid? ReadUid(JsonElement element, string field, Action<string, string> problem)
    {
        if (!element.TryGetProperty(field, out var value))
        {
            problem(field, "required: an entity UID such as \"User::\\\"alice\\\"\" or {\"type\": \"User\", \"id\": \"alice\"}");
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && EntityUid.TryParse(value.GetString()!, out var uid))
        {
            return uid;
        }

        if (value.ValueKind == JsonValueKind.Object
            && value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && value.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            && EntityUid.TryParse(new EntityUid(type.GetString()!, id.GetString()!).ToString(), out uid))
        {
            return uid;
        }

        problem(field, $"`{value.GetRawText()}` is not an entity UID such as \"User::\\\"alice\\\"\" or {{\"type\": \"User\", \"id\": \"alice\"}}");
        return null;
    }
}
