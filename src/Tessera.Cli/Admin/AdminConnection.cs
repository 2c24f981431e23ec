using System.CommandLine;
using Grpc.Core;
using Tessera.Contracts.Transport;

namespace Tessera.Cli.Admin;

/// <summary>The <c>--socket</c> option every admin verb shares, and a client over it with a deadline.</summary>
internal static class AdminConnection
{
    /// <summary>The default admin socket: the server's default data directory under the working directory.</summary>
    public const string DefaultSocket = "tessera-data/server/admin.sock";

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Option<string> CreateSocketOption() => new("--socket")
    {
        Description = $"the server's admin socket (default: $TESSERA_ADMIN_SOCKET or {DefaultSocket})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_ADMIN_SOCKET") ?? DefaultSocket,
    };

    public static Option<string> CreateOutputOption() => new("--output")
    {
        Description = "text (default) or json",
        DefaultValueFactory = _ => "text",
    };

    public static async Task<int> RunAsync(string socket, Func<Contracts.Admin.V1.Admin.AdminClient, Task<int>> action)
    {
        if (!File.Exists(socket))
        {
            Console.Error.WriteLine($"no admin socket at {Path.GetFullPath(socket)}: is `tessera server run` running there? (use --socket)");
            return Internal.ExitCodes.Unavailable;
        }

        using var channel = UnixSocketChannel.Create(Path.GetFullPath(socket));
        try
        {
            return await action(new Contracts.Admin.V1.Admin.AdminClient(channel)).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.FailedPrecondition or StatusCode.Aborted)
        {
            Console.Error.WriteLine($"{ex.StatusCode}: {ex.Status.Detail}");
            return Internal.ExitCodes.BadInput;
        }
        catch (RpcException ex)
        {
            Console.Error.WriteLine($"server at {socket} refused or failed the call ({ex.StatusCode}): {ex.Status.Detail}");
            return Internal.ExitCodes.Unavailable;
        }
    }

    public static DateTime CallDeadline() => DateTime.UtcNow + Deadline;
}
