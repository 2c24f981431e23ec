using System.CommandLine;
using System.Net.Sockets;
using Grpc.Core;
using Tessera.Agent.WorkloadApi;
using Tessera.Spiffe.WorkloadApi;
using Tessera.Cli.Internal;
using Tessera.Contracts.Transport;
using Tessera.Contracts.Workload;
using Tessera.Hosting.Configuration;

namespace Tessera.Cli.Agents;

/// <summary>
/// The <c>--socket</c> and <c>--timeout</c> options every <c>tessera agent api</c> verb shares, and a Workload API
/// client that sends the security header on every call and maps failures to exit codes in one place.
/// </summary>
internal sealed class WorkloadApiConnection
{
    /// <summary>The agent's default Workload API socket, under the agent's default data directory in the working directory.</summary>
    public const string DefaultSocket = "tessera-data/agent/public/api.sock";

    public Option<string> Socket { get; } = new("--socket")
    {
        Description = $"the Workload API socket: unix:///path, unix:/path or /path (default: ${WorkloadApiAddress.EnvironmentVariable}, else {DefaultSocket})",
    };

    public Option<string> Timeout { get; } = new("--timeout")
    {
        Description = "how long to wait for the agent's answer, e.g. 10s",
        DefaultValueFactory = _ => "10s",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Socket);
        command.Options.Add(Timeout);
    }

    /// <summary>Resolves the socket path and timeout, printing what is wrong with them.</summary>
    public bool TryResolve(ParseResult result, out string socketPath, out TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(result);
        socketPath = string.Empty;
        if (!DurationParser.TryParse(result.GetValue(Timeout), out timeout, out var error))
        {
            Console.Error.WriteLine($"--timeout: {error}");
            return false;
        }

        var (source, value) = result.GetValue(Socket) is { } flag
            ? ("--socket", flag)
            : Environment.GetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable) is { Length: > 0 } env
                ? (WorkloadApiAddress.EnvironmentVariable, env)
                : ("default socket", Path.GetFullPath(DefaultSocket));
        if (!WorkloadApiAddress.TryParse(value, out var path, out error))
        {
            Console.Error.WriteLine($"{source}: {error}");
            return false;
        }

        socketPath = path;
        return true;
    }

    /// <summary>The call options of one call: the security header and a deadline.</summary>
    public static CallOptions Call(TimeSpan timeout, CancellationToken cancellationToken) =>
        new(new Metadata { { WorkloadApiErrors.SecurityHeader, "true" } }, DateTime.UtcNow + timeout, cancellationToken);

    /// <summary>Runs <paramref name="action"/> against the agent at <paramref name="socketPath"/>; maps gRPC failures to exit codes.</summary>
    public static async Task<int> RunAsync(string socketPath, TimeSpan timeout, Func<SpiffeWorkloadAPI.SpiffeWorkloadAPIClient, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!File.Exists(socketPath))
        {
            Console.Error.WriteLine($"no Workload API socket at {socketPath}: is `tessera agent run` running? (use --socket or ${WorkloadApiAddress.EnvironmentVariable})");
            return ExitCodes.Unavailable;
        }

        using var channel = UnixSocketChannel.Create(socketPath);
        try
        {
            return await action(new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(channel)).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.PermissionDenied)
        {
            Console.Error.WriteLine($"refused by the agent: {ex.Status.Detail}");
            return ExitCodes.Rejected;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            Console.Error.WriteLine($"the agent rejected the request: {ex.Status.Detail}");
            return ExitCodes.BadInput;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
        {
            Console.Error.WriteLine($"no answer from the agent within {timeout.TotalSeconds:0.#}s (it may not have synced yet or hold no SVID for this process yet)");
            return ExitCodes.Unavailable;
        }
        catch (RpcException ex)
        {
            Console.Error.WriteLine($"Workload API at {socketPath} failed ({ex.StatusCode}): {ex.Status.Detail}");
            return ExitCodes.Unavailable;
        }
        catch (Exception ex) when (ex is SocketException or HttpRequestException or IOException)
        {
            Console.Error.WriteLine($"cannot reach the Workload API at {socketPath}: {ex.Message}");
            return ExitCodes.Unavailable;
        }
    }
}
