using System.Text;
using Tessera.Server.Federation;
using Tessera.Spiffe.Bundles;

namespace Tessera.Server.Tests.Federation;

/// <summary>Answers each fetch with the next queued body (or failure); the last one repeats.</summary>
internal sealed class FakeBundleEndpointClient : IBundleEndpointClient
{
    private readonly Queue<Func<byte[]>> _answers = new();
    private Func<byte[]> _last = () => throw new BundleFetchException("nothing queued");

    public int Fetches { get; private set; }

    public List<SpiffeBundle?> HeldSeen { get; } = [];

    public FakeBundleEndpointClient Returns(string json)
    {
        _answers.Enqueue(() => Encoding.UTF8.GetBytes(json));
        return this;
    }

    public FakeBundleEndpointClient Fails(string message)
    {
        _answers.Enqueue(() => throw new BundleFetchException(message));
        return this;
    }

    public Task<byte[]> FetchAsync(FederationRelationship relationship, SpiffeBundle? held, CancellationToken cancellationToken)
    {
        lock (_answers)
        {
            Fetches++;
            HeldSeen.Add(held);
            if (_answers.TryDequeue(out var next))
            {
                _last = next;
            }

            return Task.FromResult(_last());
        }
    }
}
