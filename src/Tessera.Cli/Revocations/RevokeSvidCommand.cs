using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Revocations;

/// <summary>
/// <c>tessera revoke svid --serial S | --spiffe-id ID --reason R</c>: revokes one X509-SVID, or every current
/// X509-SVID of an identity. Agents drop them at once and re-issue for entries that are still valid.
/// </summary>
internal static class RevokeSvidCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var serial = new Option<string>("--serial") { Description = "the X509-SVID's serial (hex, as `tessera agent api fetch x509` prints it)" };
        var spiffeId = new Option<string>("--spiffe-id") { Description = "revoke every current X509-SVID of this identity" };
        var reason = ReasonOption.ForRevocation();
        var command = new Command("svid", "Revoke X509-SVIDs by serial or by identity.") { socket, output, serial, spiffeId, reason.Option };
        command.SetAction((result, _) =>
        {
            var why = reason.Get(result, Console.Error);
            var bySerial = result.GetValue(serial);
            var byId = result.GetValue(spiffeId);
            if (why is null)
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            if (string.IsNullOrEmpty(bySerial) == string.IsNullOrEmpty(byId))
            {
                Console.Error.WriteLine("give exactly one of --serial and --spiffe-id");
                return Task.FromResult(ExitCodes.BadInput);
            }

            return AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                var request = new RevokeX509SvidsRequest { Serial = bySerial ?? string.Empty, SpiffeId = byId ?? string.Empty, Reason = why };
                var response = await client.RevokeX509SvidsAsync(request, deadline: AdminConnection.CallDeadline());
                Report(response, result.GetValue(output)!, "X509-SVID");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>Prints what a revoke call did; "already revoked" when it added nothing.</summary>
    public static void Report(RevokeResponse response, string output, string what)
    {
        if (output == "json")
        {
            RevocationPrinter.Print(response.Revocations, output);
            return;
        }

        if (response.Revocations.Count == 0)
        {
            Console.WriteLine("already revoked: nothing new to revoke");
            return;
        }

        foreach (var r in response.Revocations)
        {
            Console.WriteLine($"revoked {RevocationPrinter.Describe(r)}{(r.Kind == "x509" ? $" ({r.SpiffeId})" : string.Empty)}");
        }

        if (response.Revocations.Count > 1)
        {
            Console.WriteLine($"revoked {response.Revocations.Count} {what}s");
        }
    }
}
