using Tessera.Spiffe.X509;

namespace Tessera.Server.Ca;

/// <summary>An X509-SVID as the CA issued it, in the form it is sent and recorded in: DER, never parsed back.</summary>
/// <param name="Leaf">The leaf certificate with its serial number and validity.</param>
/// <param name="Chain">What the SVID presents, DER: the leaf, then any intermediates up to (excluding) the root.</param>
/// <param name="AuthorityKeyIdentifier">The signing CA key's subject key identifier (upper-case hex), which the leaf carries as authority key identifier.</param>
internal sealed record IssuedX509Svid(X509SvidLeaf Leaf, IReadOnlyList<ReadOnlyMemory<byte>> Chain, string AuthorityKeyIdentifier);
