using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Audit;

/// <summary><c>tessera audit list|verify</c>: read the server's hash-chained audit log and check it.</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Read and verify the server's tamper-evident audit log.") { CreateList(), CreateVerify() };

    private static Command CreateList()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var action = new Option<string>("--action") { Description = "only records of this action, e.g. entry.create" };
        var outcome = new Option<string>("--outcome") { Description = "only records with this outcome: ok, denied, error" };
        var caller = new Option<string>("--caller") { Description = "only records whose caller contains this text, e.g. uid:1000" };
        var limit = new Option<int>("--limit") { Description = "at most this many records (1-1000)", DefaultValueFactory = _ => 100 };
        var command = new Command("list", "List audit records, oldest first.") { socket, output, action, outcome, caller, limit };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            var request = new ListAuditRecordsRequest
            {
                Action = result.GetValue(action) ?? string.Empty,
                Outcome = result.GetValue(outcome) ?? string.Empty,
                Caller = result.GetValue(caller) ?? string.Empty,
                PageSize = result.GetValue(limit),
            };
            var response = await client.ListAuditRecordsAsync(request, deadline: AdminConnection.CallDeadline());
            if (result.GetValue(output) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(response.Records.Select(r => new
                {
                    sequence = r.Sequence, time = DateTimeOffset.FromUnixTimeMilliseconds(r.TimeUnixMs), caller = r.Caller, action = r.Action,
                    target = r.Target, outcome = r.Outcome, reason = r.Reason, previous_hash = r.PreviousHash, hash = r.Hash,
                })));
                return ExitCodes.Ok;
            }

            foreach (var r in response.Records)
            {
                var time = DateTimeOffset.FromUnixTimeMilliseconds(r.TimeUnixMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
                Console.WriteLine($"{r.Sequence,6} {time} {r.Outcome,-6} {r.Action,-16} {r.Target} by {r.Caller}{(r.Reason.Length > 0 ? $" ({r.Reason})" : string.Empty)}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateVerify()
    {
        var socket = AdminConnection.CreateSocketOption();
        var command = new Command("verify", "Recompute the hash chain over every audit record; exit 1 if any record was edited, deleted or reordered.") { socket };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            var response = await client.VerifyAuditChainAsync(new VerifyAuditChainRequest(), deadline: AdminConnection.CallDeadline());
            if (response.Intact)
            {
                Console.WriteLine($"audit chain intact: {response.RecordsChecked} records");
                return ExitCodes.Ok;
            }

            Console.WriteLine($"AUDIT CHAIN BROKEN at record {response.FirstBadSequence}: {response.Problem} ({response.RecordsChecked} records verified before it)");
            return ExitCodes.Rejected;
        }));
        return command;
    }
}
