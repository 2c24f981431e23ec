using Google.Protobuf;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.WorkloadApi;

/// <summary>Bundles in the Workload API's wire forms: concatenated DER authorities, and JWKS documents.</summary>
internal static class BundleEncoding
{
    /// <summary>The map key of a trust domain: its SPIFFE ID, <c>spiffe://example.org</c> (Workload API spec).</summary>
    public static string Key(TrustDomain trustDomain) => trustDomain.Id.ToString();

    /// <summary>The X.509 authorities as concatenated DER certificates.</summary>
    public static ByteString X509Der(SpiffeBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var authorities = bundle.X509Bundle.Authorities;
        var buffer = new byte[authorities.Sum(a => a.RawDataMemory.Length)];
        var offset = 0;
        foreach (var authority in authorities)
        {
            authority.RawDataMemory.Span.CopyTo(buffer.AsSpan(offset));
            offset += authority.RawDataMemory.Length;
        }

        return ByteString.CopyFrom(buffer);
    }

    /// <summary>The JWT authorities as a JWKS document (UTF-8 JSON) with only <c>jwt-svid</c> keys.</summary>
    public static ByteString Jwks(SpiffeBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return ByteString.CopyFromUtf8(new SpiffeBundle(bundle.TrustDomain, jwtBundle: bundle.JwtBundle).ToJson());
    }
}
