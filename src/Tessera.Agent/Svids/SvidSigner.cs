using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Agent.Cache;
using Tessera.Agent.Internal;
using Tessera.Agent.NodeAttestation;
using Tessera.Agent.NodeClient;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.Svids;

/// <summary>
/// Signs one batch: a fresh P-256 key and CSR per entry (generated on the thread pool, never on a gRPC thread),
/// one <c>SignX509Svids</c> call with a deadline, and every returned chain checked (an X509-SVID for exactly the
/// entry's SPIFFE ID, bound to the key we generated) before it becomes a <see cref="CachedSvid"/>.
/// </summary>
internal sealed class SvidSigner(NodeConnection connection)
{
    public async Task<SignBatchResult> SignAsync(IReadOnlyList<AgentEntry> entries, CancellationToken cancellationToken)
    {
        var prepared = await Task.Run(() => entries.Select(Prepare).ToList(), cancellationToken).ConfigureAwait(false);
        var request = new SignX509SvidsRequest();
        request.Requests.AddRange(prepared.Select(p => new SvidRequest { EntryId = p.Entry.Id, Csr = ByteString.CopyFrom(p.Csr) }));
        SignX509SvidsResponse response;
        try
        {
            response = await connection.Client.SignX509SvidsAsync(request, NodeConnection.Deadline(connection.Settings.SignTimeout, cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            return new SignBatchResult { CallError = connection.Describe(ex), Refused = ex.StatusCode == StatusCode.PermissionDenied };
        }
        catch (ObjectDisposedException)
        {
            // The channel was replaced by a re-attestation while this batch was being prepared: retry later.
            return new SignBatchResult { CallError = "the connection to the server was reset" };
        }

        var byId = response.Results.GroupBy(r => r.EntryId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var signed = new List<CachedSvid>();
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in prepared)
        {
            if (!byId.TryGetValue(item.Entry.Id, out var result))
            {
                failed[item.Entry.Id] = "the server returned no result for this entry";
            }
            else if (result.Error.Length > 0)
            {
                failed[item.Entry.Id] = LogSanitizer.Clean(result.Error);
            }
            else if (ToCached(item, result, out var error) is { } svid)
            {
                signed.Add(svid);
            }
            else
            {
                failed[item.Entry.Id] = error!;
            }
        }

        return new SignBatchResult { Signed = signed, Failed = failed };
    }

    private static Prepared Prepare(AgentEntry entry)
    {
        using var key = AgentCsr.NewKey();
        return new Prepared(entry, AgentCsr.Create(key), key.ExportPkcs8PrivateKey());
    }

    private static CachedSvid? ToCached(Prepared item, SvidResult result, out string? error)
    {
        byte[] chainDer = [.. result.SvidChain.SelectMany(c => c.ToByteArray())];
        try
        {
            using var svid = X509Svid.ParseRaw(chainDer, item.KeyPkcs8);
            if (svid.Id != item.Entry.SpiffeId)
            {
                error = $"the server signed '{svid.Id}', not the entry's '{item.Entry.SpiffeId}'";
                return null;
            }

            error = null;
            return new CachedSvid
            {
                EntryId = item.Entry.Id,
                EntryRevision = item.Entry.Revision,
                SpiffeId = svid.Id,
                ChainDer = chainDer,
                KeyPkcs8 = item.KeyPkcs8,
                Serial = svid.Certificate.SerialNumber,
                NotBefore = new DateTimeOffset(svid.Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                NotAfter = svid.NotAfter,
            };
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            error = $"the server returned an unusable SVID: {ex.Message}";
            return null;
        }
    }

    private sealed record Prepared(AgentEntry Entry, byte[] Csr, byte[] KeyPkcs8);
}
