namespace Tessera.Cli.Drill;

/// <summary>What a revocation kind takes away from the canary: its X509-SVID, its JWT-SVID, or its whole identity.</summary>
internal enum CredentialKind
{
    /// <summary>The canary client's X509-SVID (mTLS enforcement points, the CRL, the Workload API).</summary>
    X509,

    /// <summary>The canary client's JWT-SVID (JWT validators).</summary>
    Jwt,

    /// <summary>The canary client's registration entry (the Workload API stops serving the identity).</summary>
    Entry,
}
