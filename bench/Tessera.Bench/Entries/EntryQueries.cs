using Tessera.Server.Datastore;

namespace Tessera.Bench.Entries;

/// <summary>The read operations whose latency the scenario measures; each returns a row count to print and check.</summary>
internal static class EntryQueries
{
    private const int PageSize = 100;

    public static async Task<List<LatencyStats>> MeasureAsync(IDataStore store, int count, IReadOnlyList<string> ids, int calls, CancellationToken ct)
    {
        // Spread the entries each call asks about over the whole table, not the same hot rows.
        int Pick(int call) => (int)((call * 7_919L + 13) % count);
        Task<long> ListAsync(EntryFilter filter) => Rows(store.ListEntriesAsync(filter, PageSize, null, ct));

        return
        [
            await LatencyStats.MeasureAsync("GetEntry by id", calls,
                async c => await store.GetEntryAsync(ids[c % ids.Count], ct).ConfigureAwait(false) is null ? 0 : 1).ConfigureAwait(false),
            await LatencyStats.MeasureAsync("List first page, unfiltered", calls,
                _ => ListAsync(EntryFilter.All)).ConfigureAwait(false),
            await LatencyStats.MeasureAsync("List by SpiffeId", calls,
                c => ListAsync(new EntryFilter { SpiffeId = EntryGenerator.SpiffeIdOf(Pick(c)) })).ConfigureAwait(false),
            await LatencyStats.MeasureAsync("List by ParentId (~100 match)", calls,
                c => ListAsync(new EntryFilter { ParentId = EntryGenerator.ParentOf(Pick(c)) })).ConfigureAwait(false),
            await LatencyStats.MeasureAsync("List by Owner (~N/50 match)", calls,
                c => ListAsync(new EntryFilter { Owner = EntryGenerator.OwnerOf(Pick(c)) })).ConfigureAwait(false),
            await LatencyStats.MeasureAsync("List selectors Exact (1 match)", calls,
                c => ListAsync(Selectors(EntryGenerator.SelectorsOf(Pick(c)), SelectorMatch.Exact))).ConfigureAwait(false),
            await LatencyStats.MeasureAsync("List selectors Subset (1 match)", calls,
                c => ListAsync(Selectors([.. EntryGenerator.SelectorsOf(Pick(c)), new Selector("unix", "gid:0")], SelectorMatch.Subset))).ConfigureAwait(false),
            await LatencyStats.MeasureAsync("List selectors Superset ns (~N/100)", calls,
                c => ListAsync(Selectors([EntryGenerator.Namespace(Pick(c))], SelectorMatch.Superset))).ConfigureAwait(false),
            await LatencyStats.MeasureAsync("List selectors Any (2 uids, 2 match)", calls,
                c => ListAsync(Selectors([EntryGenerator.Uid(Pick(c)), EntryGenerator.Uid(Pick(c + 1))], SelectorMatch.Any))).ConfigureAwait(false),
            await LatencyStats.MeasureAsync("Count, unfiltered", calls,
                _ => store.CountEntriesAsync(EntryFilter.All, ct)).ConfigureAwait(false),
        ];
    }

    private static EntryFilter Selectors(IReadOnlyList<Selector> selectors, SelectorMatch match) =>
        new() { Selectors = selectors, SelectorMatch = match };

    private static async Task<long> Rows(Task<EntryPage> page) => (await page.ConfigureAwait(false)).Entries.Count;
}
