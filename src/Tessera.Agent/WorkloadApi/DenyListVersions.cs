namespace Tessera.Agent.WorkloadApi;

/// <summary>
/// Numbers the deny-list messages this agent process sends, across every stream: a client that reconnects never
/// sees a version lower than one it already applied from this process.
/// </summary>
internal sealed class DenyListVersions
{
    private long _last;

    public ulong Next() => (ulong)Interlocked.Increment(ref _last);
}
