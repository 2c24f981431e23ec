using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;

namespace Tessera.Agent.WorkloadAttestation.Unix;

/// <summary>
/// Process file descriptors of Workload API callers. SO_PEERPIDFD (Linux 6.5+) returns a pidfd for the exact
/// process that connected; unlike a pid it can never come to mean another process. A pidfd polls readable once
/// its process has exited (pidfd_open(2)).
/// </summary>
internal static class PidFd
{
    private const int SolSocket = 1;
    private const int SoPeerPidFd = 77;

    /// <summary>Returns the peer's pidfd (the caller disposes it), or null on kernels without SO_PEERPIDFD.</summary>
    public static SafeFileHandle? TryOpen(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> value = stackalloc byte[sizeof(int)];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerPidFd, value) != sizeof(int))
            {
                return null;
            }
        }
        catch (SocketException)
        {
            // ENOPROTOOPT before Linux 6.5: the caller falls back to comparing start times.
            return null;
        }

        var fd = BitConverter.ToInt32(value);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Returns whether the process behind <paramref name="pidFd"/> is still running (not exited, not reaped).</summary>
    public static bool IsAlive(SafeFileHandle pidFd)
    {
        ArgumentNullException.ThrowIfNull(pidFd);
        var added = false;
        try
        {
            pidFd.DangerousAddRef(ref added);
            var poll = new UnixNative.PollFd { Fd = (int)pidFd.DangerousGetHandle(), Events = UnixNative.PollIn };
            var ready = UnixNative.Poll(ref poll, 1, 0);

            // Readable (or an error on the descriptor) means the process exited; treat a failed poll as exited too
            // (fail closed: the /proc data could then belong to anyone).
            return ready == 0;
        }
        finally
        {
            if (added)
            {
                pidFd.DangerousRelease();
            }
        }
    }
}
