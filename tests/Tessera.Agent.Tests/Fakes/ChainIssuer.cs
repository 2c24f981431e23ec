using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Tessera.Agent.Svids;

namespace Tessera.Agent.Tests.Fakes;

/// <summary>Reads a cached SVID's issuer from its DER chain, independently of what the agent recorded on arrival.</summary>
internal static class ChainIssuer
{
    /// <summary>The authority key identifier (upper-case hex) of the chain's leaf, or empty.</summary>
    public static string AuthorityKeyIdOf(byte[] chainDer)
    {
        AsnDecoder.ReadEncodedValue(chainDer, AsnEncodingRules.DER, out _, out _, out var consumed);
        using var leaf = X509CertificateLoader.LoadCertificate(chainDer.AsSpan(0, consumed));
        return TaintedAuthorities.AuthorityKeyIdOf(leaf);
    }
}
