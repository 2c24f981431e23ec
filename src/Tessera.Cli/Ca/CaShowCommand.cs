using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Ca;

/// <summary><c>tessera ca show [--output json]</c>: every CA and JWT key with its status, taint and what is left to re-issue.</summary>
internal static class CaShowCommand
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var command = new Command("show", "List the CA and JWT keys: kind, key id, status, tainted, validity, SVIDs still to re-issue.") { socket, output };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            var response = await client.GetCaKeysAsync(new GetCaKeysRequest(), deadline: AdminConnection.CallDeadline());
            if (result.GetValue(output) == "json")
            {
                Console.WriteLine(Json.Format(response));
                return ExitCodes.Ok;
            }

            Console.WriteLine($"{"KIND",-5} {"KEY ID",-38} {"STATUS",-9} {"TAINTED",-21} {"NOT BEFORE",-20} {"NOT AFTER",-20} PENDING");
            foreach (var key in response.Keys)
            {
                var tainted = key.Tainted ? Time(key.TaintedAtUnix) : "no";
                var pending = !key.Tainted ? "-" : key.Kind == "x509" ? $"{key.Pending} SVIDs" : $"{key.Pending}s of tokens";
                Console.WriteLine($"{key.Kind,-5} {key.KeyId,-38} {key.Status,-9} {tainted,-21} {Time(key.NotBeforeUnix),-20} {Time(key.NotAfterUnix),-20} {pending}");
            }

            Console.WriteLine($"bundle sequence {response.BundleSequence}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Time(long unix) => DateTimeOffset.FromUnixTimeSeconds(unix).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
