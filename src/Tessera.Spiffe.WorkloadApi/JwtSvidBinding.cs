namespace Tessera.Spiffe.WorkloadApi;

/// <summary>Whether a JWT-SVID fetched from the Workload API is bound to the caller's X509-SVID.</summary>
public enum JwtSvidBinding
{
    /// <summary>A plain bearer token: whoever holds it can present it until it expires.</summary>
    None,

    /// <summary>
    /// A certificate-bound token: the agent adds <c>cnf: {"x5t#S256": …}</c>, the SHA-256 thumbprint of the caller's
    /// current X509-SVID (RFC 8705 §3.1), and makes it expire no later than that certificate. A relying party that
    /// enforces the binding accepts it only over mutual TLS with that very certificate, so a stolen token is useless
    /// without the workload's private key. After the X509-SVID rotates, fetch a new token: the old one no longer
    /// matches the certificate the workload presents. Tessera extension (request metadata
    /// <c>tessera-jwt-binding: x5t#S256</c>); other Workload API servers refuse or ignore it.
    /// </summary>
    X509Svid,
}
