using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.NodeAttestation;

/// <summary>
/// The agent's own SVID (what it presents to the server over mTLS) with its private key. Immutable: renewal
/// replaces the whole object, so a TLS handshake in flight never sees a leaf from one SVID and a key from another.
/// </summary>
internal sealed class AgentSvid
{
    private AgentSvid(X509Svid svid)
    {
        Svid = svid;
        TlsCertificate = svid.GetCertificateWithKey();
        NotBefore = new DateTimeOffset(svid.Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
    }

    public X509Svid Svid { get; }

    public SpiffeId Id => Svid.Id;

    /// <summary>The leaf bound to its private key, as the TLS client presents it.</summary>
    public X509Certificate2 TlsCertificate { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter => Svid.NotAfter;

    /// <summary>The leaf's serial number (hex), for logs.</summary>
    public string Serial => Svid.Certificate.SerialNumber;

    /// <summary>When to renew: half of the lifetime (SPIRE's rule), leaving the second half to ride out a server outage.</summary>
    public DateTimeOffset RenewAt => NotBefore + ((NotAfter - NotBefore) / 2);

    /// <summary>Parses a chain (concatenated DER or PEM, leaf first) and a PKCS#8 key (DER or PEM).</summary>
    /// <exception cref="FormatException">Malformed input, a chain that is not an X509-SVID, or a key that does not match.</exception>
    public static AgentSvid Parse(ReadOnlySpan<byte> chain, ReadOnlySpan<byte> pkcs8Key) => new(X509Svid.Parse(chain, pkcs8Key));

    public bool IsValidAt(DateTimeOffset now) => now >= NotBefore && now < NotAfter;
}
