using System.Runtime.InteropServices;

namespace Tessera.Cli.Internal;

/// <summary>The libc calls the BCL does not expose.</summary>
internal static partial class Libc
{
    /// <summary>kill(2): sends <paramref name="signal"/> to <paramref name="pid"/>; 0 on success, -1 with errno set otherwise.</summary>
    // No SetLastError: it would need unsafe code; callers read errno with Marshal.GetLastSystemError right after.
    [LibraryImport("libc", EntryPoint = "kill")]
    internal static partial int Kill(int pid, int signal);

    /// <summary>The effective uid: what the agent reads from this process's peer credentials.</summary>
    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEffectiveUid();
}
