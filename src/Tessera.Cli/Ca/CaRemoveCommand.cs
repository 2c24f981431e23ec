using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Ca;

/// <summary><c>tessera ca remove KEYID --force --reason R</c>: removes a non-active key from the bundle at once.</summary>
internal static class CaRemoveCommand
{
    public const string ForceRequired = "--force is required: removing a key from the bundle at once fails every SVID it signed that has not been re-issued yet";

    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var keyId = new Argument<string>("KEYID") { Description = "the key (x509-… or jwt-…, as `tessera ca show` lists it)" };
        var force = new Option<bool>("--force") { Description = "remove at once (required)" };
        var reason = ReasonOption.ForCaChange();
        var command = new Command("remove", "Remove a CA/JWT key from the bundle at once, without waiting for re-issuance.") { socket, output, keyId, force, reason.Option };
        command.SetAction((result, _) =>
        {
            var why = reason.Get(result, Console.Error);
            if (why is null)
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            if (!result.GetValue(force))
            {
                Console.Error.WriteLine(ForceRequired);
                return Task.FromResult(ExitCodes.BadInput);
            }

            return AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                var response = await client.RemoveCaKeyAsync(new RemoveCaKeyRequest { KeyId = result.GetValue(keyId)!, Force = true, Reason = why }, deadline: AdminConnection.CallDeadline());
                CaChangePrinter.Print(response, result.GetValue(output)!);
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
