using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.NodeClient;

/// <summary>Reads <c>trust_bundle</c>: a SPIFFE bundle (JWK Set JSON) or PEM/DER CA certificates.</summary>
internal static class TrustBundleFile
{
    /// <exception cref="FormatException">The file is neither; the message says why.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SpiffeBundle Load(TrustDomain trustDomain, string path)
    {
        var data = File.ReadAllBytes(path);
        var text = data.AsSpan().TrimStart(" \t\r\n\uFEFF"u8);
        var bundle = text.Length > 0 && text[0] == (byte)'{'
            ? SpiffeBundle.Parse(trustDomain, text)
            : new SpiffeBundle(trustDomain, X509Bundle.Parse(trustDomain, data));
        if (bundle.X509Bundle.IsEmpty)
        {
            throw new FormatException("it holds no X.509 authority, so no server certificate could be verified");
        }

        return bundle;
    }
}
