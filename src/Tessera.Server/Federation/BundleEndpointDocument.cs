using Tessera.Server.Ca;
using Tessera.Spiffe.Bundles;

namespace Tessera.Server.Federation;

/// <summary>The document served at the bundle endpoint: the CA's current bundle with its sequence and the configured refresh hint.</summary>
internal static class BundleEndpointDocument
{
    /// <summary>Returns the SPIFFE bundle JSON (SPIFFE Trust Domain and Bundle §4) for <paramref name="ca"/>'s trust domain.</summary>
    public static string Render(CertificateAuthority ca, TimeSpan refreshHint)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var bundle = ca.Bundle;
        return new SpiffeBundle(bundle.TrustDomain, bundle.X509Bundle, bundle.JwtBundle, bundle.Sequence, refreshHint).ToJson();
    }
}
