namespace Tessera.Bench.Agent;

/// <summary>The calling process's uid (the agent attests the benchmark process by it).</summary>
internal static class Libc
{
    public static uint Uid() => GetUid();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();
}
