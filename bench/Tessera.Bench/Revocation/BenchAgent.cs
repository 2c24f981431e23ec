using Tessera.Bench.Agent;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Bench.Revocation;

/// <summary>One agent of the scenario: its process, the identities this process holds through it, and its deny list.</summary>
internal sealed class BenchAgent(ChildProcess process, SpiffeId id, string socket) : IAsyncDisposable
{
    public ChildProcess Process => process;

    public SpiffeId Id => id;

    public string Socket => socket;

    public List<SpiffeId> Workloads { get; } = [];

    public X509Source? Svids { get; set; }

    public DenyListSource? DenyList { get; set; }

    public WorkloadApiClient? Client { get; set; }

    public WorkloadApiSourceOptions SourceOptions(TimeSpan initialTimeout) => new()
    {
        Address = "unix://" + socket,
        InitialTimeout = initialTimeout,
        MinRetryDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromSeconds(1),
    };

    public async ValueTask DisposeAsync()
    {
        if (Svids is not null)
        {
            await Svids.DisposeAsync().ConfigureAwait(false);
        }

        if (DenyList is not null)
        {
            await DenyList.DisposeAsync().ConfigureAwait(false);
        }

        if (Client is not null)
        {
            await Client.DisposeAsync().ConfigureAwait(false);
        }

        await process.DisposeAsync().ConfigureAwait(false);
    }
}
