using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Tessera.Hosting.Files;
using Tessera.Server.Ca;
using Tessera.Server.Configuration;
using Tessera.Server.Datastore;

namespace Tessera.Server.Revocations;

/// <summary>
/// The server's view of the revocations in force, and the CRL made from them. <see cref="RefreshAsync"/> re-reads
/// the store (after every revocation, on CA rotation and periodically) and re-signs the CRL when the list or the
/// active CA key changed or the CRL is half-way to its next update; the CRL is written to <c>&lt;data_dir&gt;/crl.pem</c>
/// and served on the health listener. Sync streams read <see cref="Current"/> rather than the store.
/// </summary>
internal sealed partial class RevocationRegistry(IRevocationStore store, CertificateAuthority ca, ServerOptions options, TimeProvider time, ILogger<RevocationRegistry> logger) : IDisposable
{
    /// <summary>How long a CRL is valid (its nextUpdate); it is re-signed after half of it, so relying parties never hold an expired one.</summary>
    public static readonly TimeSpan CrlValidity = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile RevocationSnapshot _current = RevocationSnapshot.Empty;

    /// <summary>Gets the revocations in force and the current CRL.</summary>
    public RevocationSnapshot Current => _current;

    /// <summary>Gets whether the revocations were read from the store at least once (until then <see cref="Current"/> is empty, not "nothing revoked").</summary>
    public bool IsLoaded => _current.Crl is not null;

    /// <summary>Gets the path the CRL is written to.</summary>
    public string CrlPath => Path.Combine(options.DataDir, "crl.pem");

    /// <summary>Re-reads the revocations and re-signs the CRL when needed; returns whether the list of revocations changed.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            var list = await store.ListRevocationsAsync(now, cancellationToken).ConfigureAwait(false);
            var previous = _current;
            var listChanged = !previous.Revocations.SequenceEqual(list);
            var sequence = ca.Bundle.Sequence ?? 0;
            var crl = previous.Crl;
            if (listChanged || crl is null || crl.BundleSequence != sequence || now >= crl.ThisUpdate + (CrlValidity / 2))
            {
                crl = BuildCrl(list, now, sequence);
                await AtomicFile.WriteAsync(CrlPath, Encoding.ASCII.GetBytes(crl.Pem), cancellationToken).ConfigureAwait(false);
                Log.CrlPublished(logger, crl.Serials, sequence);
            }

            _current = new RevocationSnapshot(list, crl);
            return listChanged;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private CrlDocument BuildCrl(IReadOnlyList<Revocation> revocations, DateTimeOffset now, ulong sequence)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var revocation in revocations.Where(r => r.Kind == RevocationKind.X509Serial))
        {
            builder.AddEntry(SerialNumbers.ToBytes(revocation.Value), revocation.RevokedAt, X509RevocationReason.KeyCompromise);
        }

        // Whole seconds, as X.509 times are. The CRL number must grow with every CRL (RFC 5280 §5.2.3): the signing
        // time in milliseconds does, across restarts too, without keeping a counter.
        var thisUpdate = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var nextUpdate = thisUpdate + CrlValidity;
        // One CRL per X.509 CA key that may have signed a current SVID (active first): after a rotation an SVID
        // signed by the previous key is still checked against a CRL of its own issuer. Serials are random 128-bit
        // numbers, so listing every revoked serial in each CRL revokes nothing by mistake. /crl (DER) is the active
        // key's; /crl.pem and crl.pem carry them all.
        var crls = ca.SignCrls(builder, now.ToUnixTimeMilliseconds(), thisUpdate, nextUpdate);
        var pem = string.Concat(crls.Select(der => PemEncoding.WriteString("X509 CRL", der) + "\n"));
        return new CrlDocument(crls[0], pem, thisUpdate, nextUpdate, sequence, revocations.Count(r => r.Kind == RevocationKind.X509Serial));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "CRL published: {Serials} revoked serials, signed by the active CA of bundle sequence {Sequence}")]
        public static partial void CrlPublished(ILogger logger, int serials, ulong sequence);
    }
}
