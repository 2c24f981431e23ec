namespace Tessera.Server.Revocations;

/// <summary>
/// One published CRL: DER and PEM, when it was made, and the bundle sequence of the CA that signed it (a CA
/// rotation changes the sequence, and the CRL is re-signed by the new active key).
/// </summary>
internal sealed record CrlDocument(byte[] Der, string Pem, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, ulong BundleSequence, int Serials);
