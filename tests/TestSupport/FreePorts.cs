using System.Net;
using System.Net.Sockets;

namespace Tessera.Tests.TestSupport;

/// <summary>Free TCP ports on the loopback interface for tests that start listeners or processes.</summary>
internal static class FreePorts
{
    /// <summary>Returns a loopback port that was free a moment ago (the OS's pick for port 0).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
