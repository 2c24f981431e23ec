using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Tessera.Contracts.Transport;

namespace Tessera.Agent.WorkloadAttestation;

/// <summary>
/// The process at the other end of a Workload API connection, as the kernel reported it when it connected:
/// pid, uid and gid (SO_PEERCRED) and, where the kernel offers it (Linux 6.5+, SO_PEERPIDFD), a pidfd that
/// pins that exact process so a later process reusing the pid cannot be mistaken for it. Owned by the
/// connection and disposed when it closes.
/// </summary>
internal sealed class WorkloadPeer : IDisposable
{
    public WorkloadPeer(PeerCredentials credentials, SafeFileHandle? pidFd)
    {
        Credentials = credentials;
        PidFd = pidFd;
    }

    /// <summary>Gets the kernel's pid, uid and gid of the caller at connect time.</summary>
    public PeerCredentials Credentials { get; }

    /// <summary>Gets the pidfd of the caller, or null when the kernel has no SO_PEERPIDFD.</summary>
    public SafeFileHandle? PidFd { get; }

    /// <summary>Reads the peer of a connected Unix socket; null when the kernel will not say who it is.</summary>
    public static WorkloadPeer? TryRead(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return PeerCredentialReader.TryRead(socket, out var credentials)
            ? new WorkloadPeer(credentials, Unix.PidFd.TryOpen(socket))
            : null;
    }

    /// <summary>Describes the caller for audit records and logs: uid, pid and executable.</summary>
    public string Describe() => Credentials.Describe();

    public void Dispose() => PidFd?.Dispose();
}
