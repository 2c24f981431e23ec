using BenchmarkDotNet.Running;
using Tessera.Bench.Agent;
using Tessera.Bench.Entries;
using Tessera.Bench.Mtls;
using Tessera.Bench.Policy;

// "entries", "agent" and "proxy" run plain timed scenarios (a real datastore; real server and agent processes) — minutes, not BenchmarkDotNet's
// statistics. Anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "entries")
{
    return await EntriesScenario.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "agent")
{
    return await AgentScenario.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "proxy")
{
    return await Tessera.Bench.Proxy.ProxyScenario.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

// "jwt" times JWT-SVID minting through a real agent and validation in the SDK, as ratios to raw ES256.
if (args.Length > 0 && args[0] == "jwt")
{
    return await Tessera.Bench.Jwt.JwtScenario.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

// "revocation" times revocation propagation to every enforcement point over N agents, and an emergency CA rotation.
if (args.Length > 0 && args[0] == "revocation")
{
    return await Tessera.Bench.Revocation.RevocationScenario.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

// "mtls" compares the SDK's mutual TLS with plain server-auth TLS on one in-process Kestrel.
if (args.Length > 0 && args[0] == "mtls")
{
    return await MtlsScenario.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

// "policy" times Tessera's decisions against cedar-wasm's on the same workloads and prints the ratio.
if (args.Length > 0 && args[0] == "policy")
{
    return await PolicyComparison.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Tessera.Bench.SpiffeIdBenchmarks).Assembly).Run(args);
return 0;
