using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Agents;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;
using Tessera.Hosting.Configuration;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.WorkloadApi;
using AdminClient = Tessera.Contracts.Admin.V1.Admin.AdminClient;

namespace Tessera.Cli.Drill.Rotation;

/// <summary>
/// <c>tessera drill rotation --reason R</c>: an emergency X.509 CA rotation rehearsed under live traffic. Creates
/// canary workloads (default 200) spread over the agents, runs mutual TLS between them, rotates the CA at once
/// (<c>tessera ca rotate --now</c>), and reports failed requests (must be zero), how long until every workload
/// held an SVID from the new key, and until the old key left every bundle. Deletes the canaries afterwards.
/// </summary>
internal static class RotationDrillCommand
{
    public static Command Create()
    {
        var adminSocket = new Option<string>("--admin-socket")
        {
            Description = $"the server's admin socket (default: $TESSERA_ADMIN_SOCKET or {AdminConnection.DefaultSocket})",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_ADMIN_SOCKET") ?? AdminConnection.DefaultSocket,
        };
        var sockets = new Option<string[]>("--socket") { Description = $"an agent's Workload API socket; repeat for several agents (default: ${WorkloadApiAddress.EnvironmentVariable}, else {WorkloadApiConnection.DefaultSocket})", AllowMultipleArgumentsPerToken = false };
        var parents = new Option<string[]>("--parent-id") { Description = "the SPIFFE ID of the agent behind each --socket, in the same order (default: the only attested agent)" };
        var workloads = new Option<int>("--workloads") { Description = "how many canary workloads", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "requests in flight at once", DefaultValueFactory = _ => 16 };
        var timeout = new Option<string>("--timeout") { Description = "how long every workload may take to hold an SVID from the new key", DefaultValueFactory = _ => "2m" };
        var reason = new Option<string>("--reason") { Description = "why (required; recorded with the rotation in the audit log)" };
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var command = new Command("rotation", "Rehearse an emergency CA rotation under live mTLS traffic between canary workloads.")
        {
            adminSocket, sockets, parents, workloads, concurrency, timeout, reason, json,
        };
        command.SetAction((result, ct) =>
        {
            var problems = new List<string>();
            var socketPaths = ResolveSockets(result.GetValue(sockets) ?? [], problems);
            var parentIds = ParseParents(result.GetValue(parents) ?? [], problems);
            if (parentIds.Count > 0 && parentIds.Count != socketPaths.Count)
            {
                problems.Add($"--parent-id: give one per --socket ({socketPaths.Count} socket(s), {parentIds.Count} parent ID(s))");
            }

            var count = result.GetValue(workloads);
            if (count is < 2 or > 10_000)
            {
                problems.Add($"--workloads: {count} is out of range (2 to 10000)");
            }

            var inFlight = result.GetValue(concurrency);
            if (inFlight is < 1 or > 1_000)
            {
                problems.Add($"--concurrency: {inFlight} is out of range (1 to 1000)");
            }

            if (!DurationParser.TryParse(result.GetValue(timeout), out var limit, out var error))
            {
                problems.Add($"--timeout: {error}");
            }

            if (string.IsNullOrWhiteSpace(result.GetValue(reason)))
            {
                problems.Add("--reason is required: say why the CA is rotated (it is recorded in the audit log)");
            }

            if (problems.Count > 0)
            {
                problems.ForEach(Console.Error.WriteLine);
                return Task.FromResult(ExitCodes.BadInput);
            }

            var settings = new RotationDrillSettings(result.GetValue(adminSocket)!, socketPaths, [.. parentIds.Select(p => p.ToString())], count, inFlight, limit, result.GetValue(reason)!.Trim(), result.GetValue(json));
            return AdminConnection.RunAsync(settings.AdminSocket, admin => RunAsync(admin, settings, ct));
        });
        return command;
    }

    private static async Task<int> RunAsync(AdminClient admin, RotationDrillSettings settings, CancellationToken ct)
    {
        var parents = await ResolveParentsAsync(admin, settings, ct).ConfigureAwait(false);
        if (parents is null)
        {
            return ExitCodes.BadInput;
        }

        var time = TimeProvider.System;
        void Progress(string line)
        {
            if (!settings.Json)
            {
                ConsoleLog.Info(time, line);
            }
        }

        var canaries = new RotationCanaries(admin);
        var sources = new List<X509Source>();
        try
        {
            var ids = await canaries.CreateAsync(parents[0].TrustDomain, parents, settings.Workloads, ct).ConfigureAwait(false);
            Progress($"created {ids.Count} canary entries under {parents.Count} agent(s)");
            foreach (var socket in settings.Sockets)
            {
                sources.Add(await X509Source.CreateAsync(SourceOptions(socket, settings.Timeout), ct).ConfigureAwait(false));
            }

            var drill = new RotationDrill(time, Progress);
            var result = await drill.RunAsync(sources, ids, settings, token => RotateAsync(admin, settings.Reason, token), ct).ConfigureAwait(false);
            RotationDrillReport.Print(result, settings.Json);
            return result.Passed ? ExitCodes.Ok : ExitCodes.Rejected;
        }
        catch (Exception ex) when (ex is DrillPreconditionException or TimeoutException)
        {
            Console.Error.WriteLine($"drill failed before measuring: {ex.Message}");
            return ExitCodes.Rejected;
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }

            var left = await canaries.DeleteAsync().ConfigureAwait(false);
            if (left > 0)
            {
                Console.Error.WriteLine($"cleanup: {left} canary entries could not be deleted (owner tessera-drill); delete them with `tessera entry delete`");
            }
            else
            {
                Progress("canary entries deleted");
            }
        }
    }

    private static WorkloadApiSourceOptions SourceOptions(string socket, TimeSpan timeout) => new()
    {
        Address = "unix://" + socket,
        InitialTimeout = timeout,
        MinRetryDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromSeconds(1),
    };

    private static async Task<IReadOnlyList<SpiffeId>?> ResolveParentsAsync(AdminClient admin, RotationDrillSettings settings, CancellationToken ct)
    {
        if (settings.ParentIds.Count > 0)
        {
            return [.. settings.ParentIds.Select(SpiffeId.Parse)];
        }

        var agents = (await admin.ListAgentsAsync(new ListAgentsRequest(), deadline: AdminConnection.CallDeadline(), cancellationToken: ct).ConfigureAwait(false)).Agents.Where(a => !a.Banned).ToList();
        if (settings.Sockets.Count == 1 && agents.Count == 1)
        {
            return [SpiffeId.Parse(agents[0].SpiffeId)];
        }

        Console.Error.WriteLine($"--parent-id: {agents.Count} agents are attested and {settings.Sockets.Count} socket(s) given; name the agent behind each --socket");
        return null;
    }

    private static async Task<string> RotateAsync(AdminClient admin, string reason, CancellationToken ct)
    {
        var response = await admin.RotateCaAsync(new RotateCaRequest { Kind = "x509", Now = true, Reason = reason }, deadline: AdminConnection.CallDeadline(), cancellationToken: ct).ConfigureAwait(false);
        return $"activated {string.Join(", ", response.Activated)}, tainted {string.Join(", ", response.Tainted)}";
    }

    private static List<string> ResolveSockets(string[] values, List<string> problems)
    {
        if (values.Length == 0)
        {
            values = [Environment.GetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable) is { Length: > 0 } env ? env : Path.GetFullPath(WorkloadApiConnection.DefaultSocket)];
        }

        var paths = new List<string>();
        foreach (var value in values)
        {
            if (WorkloadApiAddress.TryParse(value, out var path, out var error))
            {
                paths.Add(path);
            }
            else
            {
                problems.Add($"--socket: {error}");
            }
        }

        return paths;
    }

    private static List<SpiffeId> ParseParents(string[] values, List<string> problems)
    {
        var ids = new List<SpiffeId>();
        foreach (var value in values)
        {
            if (SpiffeId.TryParse(value, out var id, out var error))
            {
                ids.Add(id);
            }
            else
            {
                problems.Add($"--parent-id: '{value}' is not a SPIFFE ID: {error}");
            }
        }

        return ids;
    }
}
