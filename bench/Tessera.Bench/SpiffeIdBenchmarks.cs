using BenchmarkDotNet.Attributes;
using Tessera.Spiffe.Ids;

namespace Tessera.Bench;

/// <summary>Cost of validating a SPIFFE ID (every rule of SPIFFE-ID §2) on typical inputs.</summary>
[MemoryDiagnoser]
public class SpiffeIdBenchmarks
{
    private const string Typical = "spiffe://prod.example.org/ns/payments/sa/api-server";
    private const string Invalid = "spiffe://prod.example.org/ns/payments/sa/api-server/";

    [Benchmark(Description = "SpiffeId.Parse (typical 51-char ID)")]
    public SpiffeId Parse() => SpiffeId.Parse(Typical);

    [Benchmark(Description = "SpiffeId.TryParse (invalid: trailing slash)")]
    public bool TryParseInvalid() => SpiffeId.TryParse(Invalid, out _);
}
