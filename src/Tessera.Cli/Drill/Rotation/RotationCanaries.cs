using System.Globalization;
using System.Security.Cryptography;
using Tessera.Cli.Internal;
using Tessera.Cli.Admin;
using Tessera.Contracts.Admin.V1;
using AdminClient = Tessera.Contracts.Admin.V1.Admin.AdminClient;
using Tessera.Spiffe.Ids;

namespace Tessera.Cli.Drill.Rotation;

/// <summary>
/// The canary workload identities of one rotation drill: entries under a fresh path, spread over the agents, whose
/// selectors match this very process (its uid and executable), so the drill holds every canary SVID itself.
/// Removed again by <see cref="DeleteAsync"/>.
/// </summary>
internal sealed class RotationCanaries(AdminClient admin)
{
    private const int Batch = 500;
    private readonly List<string> _entryIds = [];

    /// <summary>Creates <paramref name="count"/> entries, workload <c>i</c> under <c>parents[i % parents.Count]</c>.</summary>
    public async Task<IReadOnlyList<(SpiffeId Id, int Source)>> CreateAsync(TrustDomain trustDomain, IReadOnlyList<SpiffeId> parents, int count, CancellationToken ct)
    {
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var uid = Libc.GetEffectiveUid().ToString(CultureInfo.InvariantCulture);
        var path = Environment.ProcessPath ?? throw new DrillPreconditionException("cannot tell this process's executable path, so no entry could select it");
        var ids = new List<(SpiffeId, int)>(count);
        for (var start = 0; start < count; start += Batch)
        {
            var request = new CreateEntriesRequest();
            for (var i = start; i < Math.Min(count, start + Batch); i++)
            {
                var id = SpiffeId.FromSegments(trustDomain, "tessera-drill", "rotation", run, $"w{i}");
                ids.Add((id, i % parents.Count));
                request.Entries.Add(new Entry
                {
                    SpiffeId = id.ToString(),
                    ParentId = parents[i % parents.Count].ToString(),
                    Selectors = { new Selector { Type = "unix", Value = $"uid:{uid}" }, new Selector { Type = "unix", Value = $"path:{path}" } },
                    Owner = "tessera-drill",
                    Purpose = $"canary workload of rotation drill {run}; deleted when the drill ends",
                });
            }

            var created = await admin.CreateEntriesAsync(request, deadline: AdminConnection.CallDeadline(), cancellationToken: ct).ConfigureAwait(false);
            _entryIds.AddRange(created.Entries.Select(e => e.Id));
        }

        return ids;
    }

    /// <summary>Deletes every canary entry this drill created (best effort, time-boxed; returns how many are left).</summary>
    public async Task<int> DeleteAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var left = 0;
        await Parallel.ForEachAsync(_entryIds, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = timeout.Token }, async (id, token) =>
        {
            try
            {
                await admin.DeleteEntryAsync(new DeleteEntryRequest { Id = id }, deadline: AdminConnection.CallDeadline(), cancellationToken: token).ConfigureAwait(false);
            }
            catch (Grpc.Core.RpcException)
            {
                Interlocked.Increment(ref left);
            }
        }).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return left;
    }
}
