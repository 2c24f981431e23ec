namespace Tessera.Spiffe.X509.Internal;

/// <summary>The per-leaf extension values of an X509-SVID; the fixed ones (CA flag, key usages) are constants of <see cref="LeafCertificateWriter"/>.</summary>
/// <param name="SubjectAlternativeName">The encoded SubjectAlternativeName extension value (the URI SAN and any DNS names).</param>
/// <param name="SubjectKeyIdentifier">The encoded SubjectKeyIdentifier extension value (from the SHA-1 of the subject public key).</param>
/// <param name="AuthorityKeyIdentifier">The encoded AuthorityKeyIdentifier extension value, or null when the issuer has no key identifier.</param>
internal sealed record LeafExtensions(byte[] SubjectAlternativeName, byte[] SubjectKeyIdentifier, byte[]? AuthorityKeyIdentifier);
