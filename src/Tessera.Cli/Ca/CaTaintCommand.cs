using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Ca;

/// <summary>
/// <c>tessera ca taint KEYID --reason R [--remove-now]</c>: marks a key possibly compromised. The active key is
/// replaced at once; SVIDs the key signed are re-issued and it then leaves the bundle (<c>--remove-now</c>: at once).
/// </summary>
internal static class CaTaintCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var keyId = new Argument<string>("KEYID") { Description = "the key (x509-… or jwt-…, as `tessera ca show` lists it)" };
        var removeNow = new Option<bool>("--remove-now") { Description = "also remove it from the bundle at once (SVIDs it signed fail until re-issued)" };
        var reason = ReasonOption.ForCaChange();
        var command = new Command("taint", "Mark a CA/JWT key possibly compromised: re-issue what it signed, then drop it from the bundle.") { socket, output, keyId, removeNow, reason.Option };
        command.SetAction((result, _) =>
        {
            var why = reason.Get(result, Console.Error);
            return why is null
                ? Task.FromResult(ExitCodes.BadInput)
                : AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
                {
                    var request = new TaintCaKeyRequest { KeyId = result.GetValue(keyId)!, Reason = why, RemoveNow = result.GetValue(removeNow) };
                    var response = await client.TaintCaKeyAsync(request, deadline: AdminConnection.CallDeadline());
                    CaChangePrinter.Print(response, result.GetValue(output)!);
                    return ExitCodes.Ok;
                });
        });
        return command;
    }
}
