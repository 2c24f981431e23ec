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
        var chain = ca.SignX509Svid(agentId, key, options.AgentSvidTtl ?? options.X509SvidTtl);
        try
        {
            var leaf = chain[0];
            var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            // Agent SVIDs are issued by the server itself, so IssuedTo is null (see IssuedSvid).
            ArgumentNullException.ThrowIfNull(writer);
            await writer.RecordIssuedSvidsAsync([new IssuedSvid(leaf.SerialNumber, agentId, notAfter, null, CertificateAuthority.AuthorityKeyIdentifier(leaf), new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero))], cancellationToken).ConfigureAwait(false);
            return new IssuedAgentSvid(leaf.SerialNumber, notAfter, [.. chain.Select(c => ByteString.CopyFrom(c.RawData))]);
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }
}
