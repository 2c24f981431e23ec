using System.Runtime.InteropServices;

namespace Tessera.Server.Internal;

/// <summary>The few libc calls the BCL does not expose.</summary>
internal static partial class Libc
{
    /// <summary>The real uid of this process.</summary>
    [LibraryImport("libc", EntryPoint = "getuid")]
    internal static partial uint GetUid();
}
