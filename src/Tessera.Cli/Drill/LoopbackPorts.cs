using System.Net;
using System.Net.Sockets;

namespace Tessera.Cli.Drill;

/// <summary>Picks a free TCP port on 127.0.0.1 for a listener the drill starts (the proxy child, the SDK host).</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
