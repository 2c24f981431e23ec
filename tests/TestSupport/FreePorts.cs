using System.Net;
using System.Net.Sockets;

namespace Tessera.Tests.TestSupport;

/// <summary>Free TCP ports on the loopback interface for tests that start listeners or processes.</summary>
internal static class FreePorts
{
    private const int Lowest = 20000;

    /// <summary>
    /// Returns a loopback port that was free a moment ago, chosen at random below the kernel's ephemeral range.
    /// The OS's pick for port 0 comes from that range, which every outgoing connection and port-0 listener also
    /// draws from: between the pick and the child process binding it, a busy test (hundreds of loopback
    /// connections in the rotation drill) could take it, and the server failed with "address already in use".
    /// </summary>
    public static int Next()
    {
        var below = EphemeralLow();
        if (below > Lowest + 1000)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var port = Random.Shared.Next(Lowest, below);
                if (TryBind(port))
                {
                    return port;
                }
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool TryBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // Linux: "32768\t60999"; elsewhere (or unreadable) fall back to the OS's port-0 pick.
    private static int EphemeralLow()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            return int.Parse(text.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
