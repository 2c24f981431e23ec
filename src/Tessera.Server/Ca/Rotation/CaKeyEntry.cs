namespace Tessera.Server.Ca.Rotation;

/// <summary>
/// One CA key in the rotation state: its key-manager ID, status and validity. For X.509 it also holds the CA
/// certificate (DER); for JWT the key ID doubles as the <c>kid</c>. The private key lives in the key manager.
/// </summary>
/// <param name="KeyId">The ID in the key manager (for JWT keys also the kid, without the <c>jwt-</c> prefix).</param>
/// <param name="Status">The rotation status.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity; everything the key signs expires by then (SVIDs are clamped to it).</param>
/// <param name="Certificate">The X.509 CA certificate (DER), or null for a JWT key.</param>
/// <param name="TaintedAt">
/// When an operator marked the key possibly compromised (emergency rotation), or null. A tainted key never signs an
/// SVID again and is never promoted; it stays in the bundle only until everything it signed has been re-issued.
/// </param>
internal sealed record CaKeyEntry(string KeyId, KeyStatus Status, DateTimeOffset NotBefore, DateTimeOffset NotAfter, byte[]? Certificate = null, DateTimeOffset? TaintedAt = null)
{
    /// <summary>Gets whether the key is tainted.</summary>
    public bool IsTainted => TaintedAt is not null;

    /// <summary>Gets when the next key is prepared: half-way through this key's life (SPIRE's choice).</summary>
    public DateTimeOffset PrepareAt => NotBefore + ((NotAfter - NotBefore) / 2);

    /// <summary>
    /// Gets when the prepared key takes over: at 5/6 of this key's life. By then the prepared key has been in
    /// the bundle for a third of a CA TTL (8h by default), long enough for every agent and federated peer to
    /// fetch it, and this key keeps 1/6 of its life (4h) so SVIDs it signed just before still run their course.
    /// </summary>
    public DateTimeOffset ActivateNextAt => NotBefore + ((NotAfter - NotBefore) * 5 / 6);
}
