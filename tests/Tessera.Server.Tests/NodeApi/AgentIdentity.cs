using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.NodeApi;

/// <summary>What an attested test agent holds: its ID, its SVID (with key) and the bundle it was given.</summary>
internal sealed record AgentIdentity(SpiffeId Id, X509Certificate2 Certificate, ECDsa Key, SpiffeBundle Bundle)
{
    public static AgentIdentity From(AttestResult result, ECDsa key)
    {
        var id = SpiffeId.Parse(result.SpiffeId);
        var leaf = X509CertificateLoader.LoadCertificate(result.SvidChain[0].Span);
        return new AgentIdentity(id, leaf.CopyWithPrivateKey(key), key, SpiffeBundle.Parse(id.TrustDomain, result.BundleJson));
    }

    public AgentIdentity WithSvid(Google.Protobuf.ByteString leafDer, ECDsa key) =>
        this with { Certificate = X509CertificateLoader.LoadCertificate(leafDer.Span).CopyWithPrivateKey(key), Key = key };
}
