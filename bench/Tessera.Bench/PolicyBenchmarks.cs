using BenchmarkDotNet.Attributes;
using Tessera.Bench.Policy;
using Tessera.Policy;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;

namespace Tessera.Bench;

/// <summary>
/// Decision latency of <see cref="PolicySet.IsAuthorized(AuthorizationRequest, EntityStore)"/> on the two workloads of
/// issue 8 (policies parsed and entities loaded once; each operation decides the next request of a cycle).
/// The comparison with cedar-wasm is the <c>policy</c> mode of this program (see the README).
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private PolicySet _policies = null!;
    private EntityStore _entities = null!;
    private IReadOnlyList<AuthorizationRequest> _requests = null!;
    private int _next;

    [Params("small", "large")]
    public string Workload { get; set; } = "small";

    [GlobalSetup]
    public void Setup()
    {
        var workload = Workload == "small" ? PolicyWorkload.Small() : PolicyWorkload.Large();
        (_policies, _entities) = workload.Load();
        _requests = workload.TesseraRequests();
    }

    [Benchmark(Description = "IsAuthorized (one decision)")]
    public Decision Decide()
    {
        var request = _requests[_next];
        _next = (_next + 1) % _requests.Count;
        return _policies.IsAuthorized(request, _entities).Decision;
    }
}
