using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Cache;

/// <summary>
/// An X509-SVID the agent holds for an entry, in the Workload API's wire form: the DER chain (leaf first,
/// concatenated) and the DER PKCS#8 key. <see cref="EntryRevision"/> is the entry revision it was signed for.
/// </summary>
internal sealed record CachedSvid
{
    public required string EntryId { get; init; }

    public required long EntryRevision { get; init; }

    public required SpiffeId SpiffeId { get; init; }

    public required byte[] ChainDer { get; init; }

    public required byte[] KeyPkcs8 { get; init; }

    /// <summary>Leaf serial number, hex, as the server recorded it.</summary>
    public required string Serial { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>
    /// Authority key identifier of the leaf (upper-case hex), or empty: which CA signed it, read once when the SVID
    /// was checked, so that emergency rotation need not decode the certificate again (<c>TaintedAuthorities</c>).
    /// </summary>
    public required string AuthorityKeyId { get; init; }
}
