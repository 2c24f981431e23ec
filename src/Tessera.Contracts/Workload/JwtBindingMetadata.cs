namespace Tessera.Contracts.Workload;

/// <summary>
/// Tessera's extension of FetchJWTSVID, sent as request metadata because the SPIFFE Workload API proto has no field
/// for it: with <c>tessera-jwt-binding: x5t#S256</c>, each token is bound to the caller's current X509-SVID for that
/// identity (<c>cnf.x5t#S256</c>, RFC 8705 §3.1). One definition for the agent that reads it and the clients that send it.
/// </summary>
public static class JwtBindingMetadata
{
    /// <summary>The request metadata key asking for certificate-bound JWT-SVIDs.</summary>
    public const string Header = "tessera-jwt-binding";

    /// <summary>The only supported value: bind to the SHA-256 thumbprint of the X509-SVID's DER leaf.</summary>
    public const string X5tS256 = "x5t#S256";
}
