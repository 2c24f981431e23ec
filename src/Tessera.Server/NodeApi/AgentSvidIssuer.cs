using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Tessera.Server.Ca;
using Tessera.Server.Configuration;
using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.NodeApi;

/// <summary>Signs agent SVIDs (TTL <c>agent_svid_ttl</c>, default <c>x509_svid_ttl</c>) and records each one.</summary>
internal sealed class AgentSvidIssuer(CertificateAuthority ca, ServerOptions options)
{
    /// <summary>
    /// Issues an agent SVID for <paramref name="agentId"/> bound to <paramref name="key"/> and records it through
    /// <paramref name="writer"/>, in the caller's transaction (with the agent record and the audit record).
    /// </summary>
    public async Task<IssuedAgentSvid> IssueAsync(IDataStoreWriter writer, SpiffeId agentId, PublicKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var issued = ca.IssueX509Svid(agentId, key, options.AgentSvidTtl ?? options.X509SvidTtl);
        var leaf = issued.Leaf;
        // Agent SVIDs are issued by the server itself, so IssuedTo is null (see IssuedSvid).
        await writer.RecordIssuedSvidsAsync([new IssuedSvid(leaf.SerialNumber, agentId, leaf.NotAfter, null, issued.AuthorityKeyIdentifier, leaf.NotBefore)], cancellationToken).ConfigureAwait(false);
        return new IssuedAgentSvid(leaf.SerialNumber, leaf.NotAfter, [.. issued.Chain.Select(der => ByteString.CopyFrom(der.Span))]);
    }
}
