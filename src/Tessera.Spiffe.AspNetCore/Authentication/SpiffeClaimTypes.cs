namespace Tessera.Spiffe.AspNetCore.Authentication;

/// <summary>The claim types a SPIFFE-authenticated principal carries.</summary>
public static class SpiffeClaimTypes
{
    /// <summary>The caller's SPIFFE ID, e.g. <c>spiffe://example.org/billing</c>: "spiffe_id".</summary>
    public const string SpiffeId = "spiffe_id";

    /// <summary>The trust domain of the caller's SPIFFE ID, e.g. <c>example.org</c>: "spiffe_trust_domain".</summary>
    public const string TrustDomain = "spiffe_trust_domain";
}
