using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Tessera.Cli.Internal;
using Tessera.Contracts.Workload;
using Tessera.Hosting.Configuration;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Agents;

/// <summary>
/// <c>tessera agent api watch [--socket ADDR] [--timeout 10s] [--for DURATION]</c>: follows this process's
/// X509-SVID stream and prints one line per SVID per update: time, SPIFFE ID, serial, expiry. <c>--timeout</c>
/// bounds the wait for the first update; <c>--for</c> stops watching (exit 0) after that long.
/// </summary>
internal static class AgentApiWatchCommand
{
    public static Command Create()
    {
        var connection = new WorkloadApiConnection();
        var duration = new Option<string>("--for") { Description = "stop after this long, e.g. 5m (default: until interrupted)" };
        var command = new Command("watch", "Print a line each time the agent rotates or changes this process's X509-SVIDs.") { duration };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            TimeSpan? stopAfter = null;
            if (result.GetValue(duration) is { } text)
            {
                if (!DurationParser.TryParse(text, out var parsed, out var error))
                {
                    Console.Error.WriteLine($"--for: {error}");
                    return Task.FromResult(ExitCodes.BadInput);
                }

                stopAfter = parsed;
            }

            if (!connection.TryResolve(result, out var socket, out var timeout))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            return WorkloadApiConnection.RunAsync(socket, timeout, client => WatchAsync(client, timeout, stopAfter, cancellationToken));
        });
        return command;
    }

    private static async Task<int> WatchAsync(SpiffeWorkloadAPI.SpiffeWorkloadAPIClient client, TimeSpan timeout, TimeSpan? stopAfter, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (stopAfter is { } after)
        {
            stop.CancelAfter(after);
        }

        // The stream itself has no deadline (it is meant to stay open); the first update must come within --timeout.
        using var call = client.FetchX509SVID(new X509SVIDRequest(), WorkloadApiConnection.Call(TimeSpan.FromDays(3650), stop.Token));
        using var first = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        first.CancelAfter(timeout);
        var updates = 0;
        try
        {
            while (await call.ResponseStream.MoveNext(updates == 0 ? first.Token : stop.Token).ConfigureAwait(false))
            {
                updates++;
                Print(call.ResponseStream.Current);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || (ex is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
        {
            if (updates == 0 && !stop.IsCancellationRequested)
            {
                Console.Error.WriteLine($"no update from the agent within {timeout.TotalSeconds:0.#}s (it may not have synced yet or hold no SVID for this process yet)");
                return ExitCodes.Unavailable;
            }

            return ExitCodes.Ok;
        }

        Console.Error.WriteLine("the agent ended the stream");
        return ExitCodes.Unavailable;
    }

    private static void Print(X509SVIDResponse response)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        foreach (var svid in response.Svids)
        {
            var chain = CertificateChain.Parse(svid.X509Svid.Span);
            Console.WriteLine($"{now} {svid.SpiffeId} serial {chain[0].SerialNumber} expires {chain[0].NotAfter.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}");
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }
}
