using System.Diagnostics;
using System.Globalization;
using Tessera.Server.Datastore;

namespace Tessera.Bench.Entries;

/// <summary>
/// <c>entries</c>: creates N registration entries in a real datastore, then times reads and reports memory
/// and database size (issue 3). SQLite always, in a temp directory; PostgreSQL too with <c>--postgres</c>.
/// </summary>
internal static class EntriesScenario
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        EntriesOptions options;
        try
        {
            options = EntriesOptions.Parse(args);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return 2;
        }

        List<StoreTarget> targets = [StoreTarget.Sqlite()];
        if (options.PostgresConnectionString is { } postgres)
        {
            targets.Add(StoreTarget.Postgres(postgres));
        }

        foreach (var target in targets)
        {
            try
            {
                await RunOneAsync(target, options, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                target.CleanUp();
            }
        }

        return 0;
    }

    private static async Task RunOneAsync(StoreTarget target, EntriesOptions options, CancellationToken ct)
    {
        var store = await target.OpenAsync(ct).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            if (await store.CountEntriesAsync(EntryFilter.All, ct).ConfigureAwait(false) != 0)
            {
                throw new InvalidOperationException($"{target.Name} already holds entries: run against an empty database");
            }

            Console.WriteLine($"== {target.Name}: creating {Text(options.Count)} entries in batches of {Text(options.BatchSize)}");
            var (ids, elapsed) = await CreateAsync(store, options, ct).ConfigureAwait(false);

            // Measured before the reads so the numbers describe the store holding N entries, not query garbage.
            var workingSet = Environment.WorkingSet;
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            var size = await target.SizeAsync(ct).ConfigureAwait(false);

            Console.WriteLine($"created:      {Text(options.Count)} entries in {elapsed.TotalSeconds:F1} s = {options.Count / elapsed.TotalSeconds:F0} entries/s");
            Console.WriteLine($"working set:  {Mib(workingSet)} (bench process, store in-process)");
            Console.WriteLine($"GC heap:      {Mib(heap)} (after full collection)");
            Console.WriteLine($"database:     {Mib(size)}");
            Console.WriteLine();

            var stats = await EntryQueries.MeasureAsync(store, options.Count, ids, options.Calls, ct).ConfigureAwait(false);
            Console.WriteLine($"{"operation",-38} {"calls",6} {"p50 ms",9} {"p95 ms",9} {"max ms",9} {"rows",8}");
            foreach (var s in stats)
            {
                Console.WriteLine($"{s.Operation,-38} {s.Calls,6} {s.P50,9:F2} {s.P95,9:F2} {s.Max,9:F2} {s.LastResult,8}");
            }

            Console.WriteLine();
        }
    }

    private static async Task<(List<string> Ids, TimeSpan Elapsed)> CreateAsync(IDataStore store, EntriesOptions options, CancellationToken ct)
    {
        // Keep a sample of ids (one per batch) for GetEntry, not all N: the heap figure should be the store's.
        var ids = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < options.Count; start += options.BatchSize)
        {
            var size = Math.Min(options.BatchSize, options.Count - start);
            var batch = new RegistrationEntry[size];
            for (var j = 0; j < size; j++)
            {
                batch[j] = EntryGenerator.Create(start + j);
            }

            var created = await store.CreateEntriesAsync(batch, ct).ConfigureAwait(false);
            ids.Add(created[size / 2].Id);
        }

        return (ids, clock.Elapsed);
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:F1} MiB");

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
