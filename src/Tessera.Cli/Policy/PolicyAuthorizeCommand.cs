using System.CommandLine;
using Tessera.Cli.Internal;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;
using Tessera.Policy.Schema;

namespace Tessera.Cli.Policy;

/// <summary>
/// <c>tessera policy authorize --policies F --entities F --principal UID --action UID --resource UID
/// [--context F] [--schema F]</c>: decides one request and prints the decision, the determining policies and
/// the erroring ones. With a schema, entities, context and the request are checked against it. Exits 0 on
/// allow, 1 on deny, 2 on unusable input (including a request the schema refuses). <c>is-authorized</c>, the
/// verb's first name (after the reference's <c>is_authorized</c>), stays as an alias so existing scripts keep working.
/// </summary>
internal static class PolicyAuthorizeCommand
{
    public static Command Create()
    {
        var policiesOption = new Option<FileInfo>("--policies") { Description = "Cedar policy file", Required = true };
        var entitiesOption = new Option<FileInfo>("--entities") { Description = "entities in Cedar's JSON format", Required = true };
        var principalOption = new Option<string>("--principal") { Description = "principal UID, e.g. 'User::\"alice\"'", Required = true };
        var actionOption = new Option<string>("--action") { Description = "action UID, e.g. 'Action::\"read\"'", Required = true };
        var resourceOption = new Option<string>("--resource") { Description = "resource UID, e.g. 'Photo::\"vacation.jpg\"'", Required = true };
        var contextOption = new Option<FileInfo>("--context") { Description = "context: a JSON object (default {})" };
        var schemaOption = new Option<FileInfo>("--schema") { Description = "schema file (Cedar syntax, or JSON if it ends in .json): validates entities, context and request" };
        var command = new Command("authorize", "Decide one request against Cedar policies and entities.")
        {
            policiesOption, entitiesOption, principalOption, actionOption, resourceOption, contextOption, schemaOption,
        };
        command.Aliases.Add("is-authorized");
        command.SetAction(result =>
        {
            CedarSchema? schema = null;
            if ((result.GetValue(schemaOption) is { } schemaFile && !PolicyFiles.TryReadSchema(schemaFile, out schema))
                || !PolicyFiles.TryReadPolicies(result.GetValue(policiesOption)!, out var policies)
                || !PolicyFiles.TryReadEntities(result.GetValue(entitiesOption)!, schema, out var entities)
                || !TryUid(result.GetValue(principalOption)!, "--principal", out var principal)
                || !TryUid(result.GetValue(actionOption)!, "--action", out var action)
                || !TryUid(result.GetValue(resourceOption)!, "--resource", out var resource)
                || !TryContext(result.GetValue(contextOption), schema, action, out var context))
            {
                return ExitCodes.BadInput;
            }

            var request = new AuthorizationRequest { Principal = principal, Action = action, Resource = resource, Context = context };
            var response = schema is null ? policies.IsAuthorized(request, entities) : policies.IsAuthorized(request, entities, schema);
            if (response.RequestErrors.Count > 0)
            {
                response.RequestErrors.ToList().ForEach(e => Console.Error.WriteLine($"invalid request: {e}"));
                return ExitCodes.BadInput;
            }

            Console.WriteLine($"decision: {(response.Decision == Decision.Allow ? "allow" : "deny")}");
            Console.WriteLine($"reasons: {(response.Reasons.Count == 0 ? "(none)" : string.Join(", ", response.Reasons))}");
            Console.WriteLine($"errors: {(response.Errors.Count == 0 ? "(none)" : string.Empty)}");
            response.Errors.ToList().ForEach(e => Console.WriteLine($"  {e.PolicyId}: {e.Message}"));
            return response.Decision == Decision.Allow ? ExitCodes.Ok : ExitCodes.Rejected;
        });
        return command;
    }

    private static bool TryUid(string text, string option, out EntityUid uid)
    {
        if (EntityUid.TryParse(text, out uid))
        {
            return true;
        }

        Console.Error.WriteLine($"{option}: `{text}` is not an entity UID such as User::\"alice\"");
        return false;
    }

    private static bool TryContext(FileInfo? file, CedarSchema? schema, EntityUid action, out RequestContext context)
    {
        context = RequestContext.Empty;
        if (file is null)
        {
            return true;
        }

        if (!InputFiles.TryReadText(file, "--context", Console.Error, out var json))
        {
            return false;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            context = schema is null ? RequestContext.FromJson(document.RootElement) : RequestContext.FromJson(document.RootElement, schema, action);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"--context: {file.Name}: {ex.Message}");
            return false;
        }
    }
}
