using System.Security.Cryptography.X509Certificates;

namespace Tessera.Server.Ca.Internal;

/// <summary>An X.509 CA key as a CRL issuer: its name, signature generator and authority key identifier (RFC 5280 §5.2.1).</summary>
internal sealed record CrlIssuer(X500DistinguishedName Subject, X509SignatureGenerator Generator, X509AuthorityKeyIdentifierExtension AuthorityKey);
