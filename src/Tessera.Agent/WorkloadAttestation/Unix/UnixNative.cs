using System.Runtime.InteropServices;

namespace Tessera.Agent.WorkloadAttestation.Unix;

/// <summary>The libc calls workload attestation needs that the BCL does not expose.</summary>
internal static partial class UnixNative
{
    public const short PollIn = 0x1;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxBasicStats = 0x7ff;

    /// <summary>Size of <c>struct statx</c>; the layout is the same on every architecture.</summary>
    public const int StatxSize = 256;

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int directoryFd, string path, int flags, uint mask, Span<byte> buffer);

    /// <summary>Linux <c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
