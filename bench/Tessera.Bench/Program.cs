using BenchmarkDotNet.Running;
using Tessera.Bench.Entries;

// "entries" runs a plain timed scenario against a real datastore (minutes, not BenchmarkDotNet's
// statistics); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "entries")
{
    return await EntriesScenario.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
