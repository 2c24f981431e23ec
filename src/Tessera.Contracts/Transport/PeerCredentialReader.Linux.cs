using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Tessera.Contracts.Transport;

/// <summary>Reads SO_PEERCRED from a connected Unix socket (Linux <c>struct ucred</c>: pid, uid, gid as native-endian 32-bit ints).</summary>
public static class PeerCredentialReader
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Reads the peer's pid, uid and gid; false when the socket is not a connected Unix socket on Linux.</summary>
    public static bool TryRead(Socket socket, out PeerCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(socket);
        credentials = default;
        if (!OperatingSystem.IsLinux() || socket.AddressFamily != AddressFamily.Unix)
        {
            return false;
        }

        Span<byte> ucred = stackalloc byte[12];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) != ucred.Length)
            {
                return false;
            }
        }
        catch (SocketException)
        {
            return false;
        }

        credentials = new PeerCredentials(
            MemoryMarshal.Read<int>(ucred),
            MemoryMarshal.Read<int>(ucred[4..]),
            MemoryMarshal.Read<int>(ucred[8..]));
        return true;
    }
}
