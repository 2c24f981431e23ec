using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Spiffe.X509.Internal;

/// <summary>
/// Encodes a SubjectAlternativeName extension (RFC 5280 §4.2.1.6) holding exactly the given URI and DNS
/// names. <see cref="SubjectAlternativeNameBuilder.AddUri"/> goes through <see cref="Uri"/>, which rewrites
/// <c>spiffe://example.org</c> as <c>spiffe://example.org/</c> — an ID with a trailing slash, which
/// SPIFFE-ID §2.2 forbids — so the URI is written byte for byte instead.
/// </summary>
internal static class SubjectAlternativeNames
{
    private static readonly Asn1Tag DnsNameTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    public static X509Extension Create(string uri, IEnumerable<string> dnsNames, bool critical)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, UriTag);
            foreach (var dns in dnsNames)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, dns, DnsNameTag);
            }
        }

        return new X509Extension("2.5.29.17", writer.Encode(), critical);
    }
}
