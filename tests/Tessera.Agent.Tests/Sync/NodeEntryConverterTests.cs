using Tessera.Agent.Sync;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Tests.Sync;

public sealed class NodeEntryConverterTests
{
    private static NodeEntry Wire(params string[] federatesWith)
    {
        var entry = new NodeEntry { Id = "e1", SpiffeId = "spiffe://example.org/web", ParentId = "spiffe://example.org/agent", Revision = 1 };
        entry.Selectors.Add("unix:uid:1000");
        entry.FederatesWith.AddRange(federatesWith);
        return entry;
    }

    [Fact]
    public void TryConvert_FederatesWith_ParsedTrustDomains()
    {
        Assert.True(NodeEntryConverter.TryConvert(Wire("partner.test", "spiffe://other.test"), out var entry, out _));

        Assert.Equal([TrustDomain.Parse("partner.test"), TrustDomain.Parse("other.test")], entry.FederatesWith);
    }

    [Fact]
    public void TryConvert_InvalidFederatedTrustDomain_Refused()
    {
        Assert.False(NodeEntryConverter.TryConvert(Wire("Partner.Test"), out _, out var error));

        Assert.StartsWith("entry e1: federates_with: ", error, StringComparison.Ordinal);
    }
}
