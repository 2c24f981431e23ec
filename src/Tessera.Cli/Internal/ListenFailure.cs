using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Tessera.Cli.Internal;

/// <summary>
/// Recognises a listener that could not bind (the port is taken, or not the process's to take) so the long-running
/// verbs say so in one line with exit 3, instead of ending with the host's stack trace.
/// </summary>
internal static class ListenFailure
{
    /// <summary>True when <paramref name="exception"/> is Kestrel failing to bind one of its addresses.</summary>
    public static bool Is(Exception exception) =>
        exception is IOException { InnerException: AddressInUseException or SocketException };

    /// <summary>Writes the refusal, naming the address (Kestrel's message does) and the settings that move it.</summary>
    public static int Report(Exception exception, string settings)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Console.Error.WriteLine($"cannot listen: {exception.Message.TrimEnd('.')}; stop what holds it or choose another address ({settings})");
        return ExitCodes.Unavailable;
    }
}
