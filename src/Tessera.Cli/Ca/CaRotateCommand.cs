using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Ca;

/// <summary>
/// <c>tessera ca rotate --now [--kind x509|jwt|all] --reason R</c>: activates a new key at once and taints the current
/// one. Scheduled rotation needs no command, so <c>--now</c> is required and says what is being asked for.
/// </summary>
internal static class CaRotateCommand
{
    public const string NowRequired = "--now is required: this activates a new key at once and taints the current one (scheduled rotation needs no command)";

    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var now = new Option<bool>("--now") { Description = "rotate at once (required)" };
        var kind = new Option<string>("--kind") { Description = "x509, jwt or all", DefaultValueFactory = _ => "all" };
        kind.AcceptOnlyFromAmong("x509", "jwt", "all");
        var reason = ReasonOption.ForCaChange();
        var command = new Command("rotate", "Emergency rotation: activate a new CA/JWT key at once and taint the current one.") { socket, output, now, kind, reason.Option };
        command.SetAction((result, _) =>
        {
            var why = reason.Get(result, Console.Error);
            if (why is null)
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            if (!result.GetValue(now))
            {
                Console.Error.WriteLine(NowRequired);
                return Task.FromResult(ExitCodes.BadInput);
            }

            return AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                var response = await client.RotateCaAsync(new RotateCaRequest { Kind = result.GetValue(kind)!, Now = true, Reason = why }, deadline: AdminConnection.CallDeadline());
                CaChangePrinter.Print(response, result.GetValue(output)!);
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
