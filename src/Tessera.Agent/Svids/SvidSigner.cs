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
/// Signs one batch: a fresh P-256 key and CSR per entry, one <c>SignX509Svids</c> call with a deadline, and every
/// returned chain checked (an X509-SVID for exactly the entry's SPIFFE ID, bound to the key we generated) before it becomes a
/// <see cref="CachedSvid"/>. Both CPU-bound halves run on the thread pool, never on a gRPC thread, spread over the
/// machine's cores (one thread per core for every batch together): with thousands of entries they, not the server,
/// are what an agent waits for.
/// </summary>
internal sealed class SvidSigner(NodeConnection connection)
{
    private static readonly int Parallelism = Math.Max(1, Environment.ProcessorCount);

    // One thread per core for all batches together (two are in flight): key generation and chain checks must not
    // take every thread-pool thread from the Workload API and the sync stream while thousands of SVIDs are signed.
    private static readonly TaskScheduler Cpu = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, Parallelism).ConcurrentScheduler;

    /// <summary>Prepares and sends one batch.</summary>
    public async Task<SignBatchResult> SignAsync(IReadOnlyList<AgentEntry> entries, CancellationToken cancellationToken) =>
        await SendAsync(await PrepareAsync(entries, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Generates a key and a CSR for each of <paramref name="entries"/> (in their order).</summary>
    internal static Task<PreparedSvidRequest[]> PrepareAsync(IReadOnlyList<AgentEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return OnCpu(() => ForEach(entries, Prepare, cancellationToken), cancellationToken);
    }

    /// <summary>Sends <paramref name="prepared"/> in one call and checks what comes back.</summary>
    private async Task<SignBatchResult> SendAsync(PreparedSvidRequest[] prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
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
        var checkedItems = await OnCpu(() => ForEach(prepared, item => CheckIssued(item, byId.GetValueOrDefault(item.Entry.Id), issuers), cancellationToken), cancellationToken).ConfigureAwait(false);
        var signed = new List<CachedSvid>();
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < prepared.Length; i++)
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

    private static Task<T> OnCpu<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.DenyChildAttach, Cpu);

    /// <summary>Maps <paramref name="items"/> through <paramref name="work"/> on up to one thread per core, keeping their order.</summary>
    private static TResult[] ForEach<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> work, CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];

        // The calling thread (already one of Cpu's) takes part, so a batch finishes even when the other one holds
        // every other slot.
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken, TaskScheduler = Cpu };
        Parallel.For(0, items.Count, options, i => results[i] = work(items[i]));
        return results;
    }

    private static PreparedSvidRequest Prepare(AgentEntry entry)
    {
        using var key = AgentCsr.NewKey();
        return new PreparedSvidRequest(entry, AgentCsr.Create(key), key.ExportPkcs8PrivateKey(), key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>
    /// Checks what the server returned for one prepared entry: an X509-SVID (the specification's structural rules)
    /// for exactly the entry's SPIFFE ID, whose public key is byte for byte the one generated for it. Comparing the
    /// encoded keys replaces importing both keys again, which was most of the agent's cost per SVID.
    /// Returns the SVID to cache, or why not (sanitised, for the log).
    /// </summary>
    internal static (CachedSvid? Svid, string? Error) CheckIssued(PreparedSvidRequest item, SvidResult? result, IssuerCertificates issuers)
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

        if (result.SvidChain.Count == 0)
        {
            return (null, "the server returned an unusable SVID: the certificate chain is empty");
        }

        try
        {
            using var leaf = X509CertificateLoader.LoadCertificate(result.SvidChain[0].Span);
            var check = X509SvidValidator.ValidateChain([leaf, .. result.SvidChain.Skip(1).Select(issuers.Get)]);
            if (!check.IsValid)
            {
                return (null, $"the server returned an unusable SVID: {check.Message}");
            }

            if (check.Id != item.Entry.SpiffeId)
            {
                return (null, $"the server signed '{check.Id}', not the entry's '{item.Entry.SpiffeId}'");
            }

            if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(item.SubjectPublicKeyInfo))
            {
                return (null, "the server returned an unusable SVID: its public key is not the one this agent generated for the entry");
            }

            return (new CachedSvid
            {
                EntryId = item.Entry.Id,
                EntryRevision = item.Entry.Revision,
                SpiffeId = check.Id,
                ChainDer = [.. result.SvidChain.SelectMany(c => c.ToByteArray())],
                KeyPkcs8 = item.KeyPkcs8,
                Serial = leaf.SerialNumber,
                NotBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                NotAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                AuthorityKeyId = TaintedAuthorities.AuthorityKeyIdOf(leaf),
            }, null);
        }
        catch (CryptographicException ex)
        {
            return (null, $"the server returned an unusable SVID: {ex.Message}");
        }
    }
}
