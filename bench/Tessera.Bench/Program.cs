using BenchmarkDotNet.Running;
using Tessera.Bench.Entries;
using Tessera.Bench.Policy;

// "entries" runs a plain timed scenario against a real datastore (minutes, not BenchmarkDotNet's
// statistics); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "entries")
{
    return await EntriesScenario.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

// "policy" times Tessera's decisions against cedar-wasm's on the same workloads and prints the ratio.
if (args.Length > 0 && args[0] == "policy")
{
    return await PolicyComparison.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
