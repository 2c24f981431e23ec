using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Agent.Cache;
using Tessera.Agent.Internal;
using Tessera.Agent.NodeAttestation;
using Tessera.Agent.NodeClient;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.X509.Internal;

namespace Tessera.Agent.Svids;

/// <summary>
/// Signs one batch: a fresh P-256 key and CSR per entry (generated on the thread pool across the cores, never on a
/// gRPC thread), one <c>SignX509Svids</c> call with a deadline, and every returned chain checked (an X509-SVID for
/// exactly the entry's SPIFFE ID, whose public key is byte for byte the one we generated) before it becomes a
/// <see cref="CachedSvid"/>. The check compares public keys as encoded rather than importing either key again: the
/// key imports were most of the agent's cost per SVID.
/// </summary>
internal sealed class SvidSigner(NodeConnection connection)
{
    /// <summary>Generates a key and CSR per entry, off the caller's thread; the next batch can be prepared while one is being signed.</summary>
    public static async Task<PreparedBatch> PrepareAsync(IReadOnlyList<AgentEntry> entries, CancellationToken cancellationToken) =>
        new(await Task.Run(() => Parallel(entries, Prepare, cancellationToken), cancellationToken).ConfigureAwait(false));

    /// <summary>Sends one prepared batch and checks what comes back.</summary>
    public async Task<SignBatchResult> SignAsync(PreparedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var prepared = batch.Items;
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
        using var issuers = new IssuerCertificates();
        var checkedItems = await Task.Run(() => Parallel(prepared, item => CheckIssued(item, byId.GetValueOrDefault(item.Entry.Id), issuers), cancellationToken), cancellationToken).ConfigureAwait(false);
        var signed = new List<CachedSvid>();
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < prepared.Count; i++)
        {
            if (checkedItems[i].Svid is { } svid)
            {
                signed.Add(svid);
            }
            else
            {
                failed[prepared[i].Entry.Id] = checkedItems[i].Error!;
            }
        }

        return new SignBatchResult { Signed = signed, Failed = failed };
    }

    // Order-preserving, over every core: key generation and certificate parsing are CPU-bound and independent.
    private static TOut[] Parallel<TIn, TOut>(IReadOnlyList<TIn> items, Func<TIn, TOut> work, CancellationToken cancellationToken)
    {
        var results = new TOut[items.Count];
        System.Threading.Tasks.Parallel.For(0, items.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => results[i] = work(items[i]));
        return results;
    }

    private static Prepared Prepare(AgentEntry entry)
    {
        using var key = AgentCsr.NewKey();
        return new Prepared(entry, AgentCsr.Create(key), key.ExportPkcs8PrivateKey(), key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>
    /// Checks what the server returned for one prepared entry: an X509-SVID for exactly the entry's SPIFFE ID whose
    /// public key is the one generated for it. Returns the SVID to cache, or why not (sanitised, for the log).
    /// </summary>
    internal static (CachedSvid? Svid, string? Error) CheckIssued(Prepared item, SvidResult? result, IssuerCertificates issuers)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(issuers);
        if (result is null)
        {
            return (null, "the server returned no result for this entry");
        }

        if (result.Error.Length > 0)
        {
            return (null, LogSanitizer.Clean(result.Error));
        }

        var svid = ToCached(item, result, issuers, out var error);
        return (svid, error);
    }

    private static CachedSvid? ToCached(Prepared item, SvidResult result, IssuerCertificates issuers, out string? error)
    {
        if (result.SvidChain.Count == 0)
        {
            error = "the server returned an unusable SVID: the certificate chain is empty";
            return null;
        }

        byte[] chainDer = [.. result.SvidChain.SelectMany(c => c.ToByteArray())];
        try
        {
            using var leaf = X509CertificateLoader.LoadCertificate(result.SvidChain[0].Span);
            var check = X509SvidValidator.ValidateChain([leaf, .. result.SvidChain.Skip(1).Select(issuers.Get)]);
            if (!check.IsValid)
            {
                error = $"the server returned an unusable SVID: {check.Message}";
                return null;
            }

            if (check.Id != item.Entry.SpiffeId)
            {
                error = $"the server signed '{check.Id}', not the entry's '{item.Entry.SpiffeId}'";
                return null;
            }

            if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(item.SubjectPublicKeyInfo))
            {
                error = "the server returned an unusable SVID: its public key is not the one this agent generated for the entry";
                return null;
            }

            error = null;
            return new CachedSvid
            {
                EntryId = item.Entry.Id,
                EntryRevision = item.Entry.Revision,
                SpiffeId = check.Id,
                ChainDer = chainDer,
                KeyPkcs8 = item.KeyPkcs8,
                Serial = leaf.SerialNumber,
                NotBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                NotAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                AuthorityKeyId = TaintedAuthorities.AuthorityKeyIdOf(leaf),
            };
        }
        catch (CryptographicException ex)
        {
            error = $"the server returned an unusable SVID: {ex.Message}";
            return null;
        }
    }

    /// <summary>One entry's fresh key (PKCS#8 and its public half) and CSR.</summary>
    internal sealed record Prepared(AgentEntry Entry, byte[] Csr, byte[] KeyPkcs8, byte[] SubjectPublicKeyInfo);
}
