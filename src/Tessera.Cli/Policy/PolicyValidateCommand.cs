using System.CommandLine;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Policy;

/// <summary>
/// <c>tessera policy validate --policies F --schema F</c>: strict validation of a policy set against a schema
/// (Cedar syntax, or JSON when the file ends in <c>.json</c>). Prints every error as <c>policyId: message</c>
/// and warnings prefixed <c>warning:</c>; exits 0 when valid, 1 when not, 2 on unusable input.
/// </summary>
internal static class PolicyValidateCommand
{
    public static Command Create()
    {
        var policiesOption = new Option<FileInfo>("--policies") { Description = "Cedar policy file", Required = true };
        var schemaOption = new Option<FileInfo>("--schema") { Description = "schema file: Cedar schema syntax, or JSON if it ends in .json", Required = true };
        var command = new Command("validate", "Validate Cedar policies against a schema (strict mode, as the reference validator).") { policiesOption, schemaOption };
        command.SetAction(result =>
        {
            if (!PolicyFiles.TryReadPolicies(result.GetValue(policiesOption)!, out var policies)
                || !PolicyFiles.TryReadSchema(result.GetValue(schemaOption)!, out var schema))
            {
                return ExitCodes.BadInput;
            }

            var validation = policies.Validate(schema);
            validation.Errors.ToList().ForEach(e => Console.WriteLine(e));
            validation.Warnings.ToList().ForEach(w => Console.WriteLine($"warning: {w}"));
            Console.WriteLine(validation.IsValid
                ? $"valid: {policies.PolicyIds.Count + policies.TemplateIds.Count} policies"
                : $"invalid: {validation.Errors.Count} error(s) in {validation.Errors.Select(e => e.PolicyId).Distinct().Count()} policies");
            return validation.IsValid ? ExitCodes.Ok : ExitCodes.Rejected;
        });
        return command;
    }
}
