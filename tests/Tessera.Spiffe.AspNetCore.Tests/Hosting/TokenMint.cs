using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.AspNetCore.Tests.Hosting;

/// <summary>A trust domain's JWT signing key for tests: mints well-formed JWT-SVIDs and hand-built (bad) ones.</summary>
internal sealed class TokenMint : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TokenMint(string keyId = "k1")
    {
        Signer = new JwtSvidSigner(_key, keyId);
        Bundle = new JwtBundle(TrustDomain.Parse("example.org"), [Signer.Authority]);
    }

    public JwtSvidSigner Signer { get; }

    public JwtBundle Bundle { get; }

    /// <summary>The RFC 8705 §3.1 thumbprint of <paramref name="certificate"/>: base64url(SHA-256(DER)).</summary>
    public static string Thumbprint(X509Certificate2 certificate) => Base64Url.EncodeToString(SHA256.HashData(certificate.RawData));

    public string Mint(string subject = "spiffe://example.org/client", string audience = "api", object? cnf = null)
    {
        var extra = cnf is null ? null : new Dictionary<string, JsonElement> { ["cnf"] = JsonSerializer.SerializeToElement(cnf) };
        return Signer.Mint(SpiffeId.Parse(subject), [audience], TimeSpan.FromMinutes(5), "jti-1", extra);
    }

    /// <summary>Signs arbitrary header and payload JSON with ES256, for tokens the signer refuses to mint.</summary>
    public string SignRaw(string header, string payload)
    {
        var input = Encode(header) + "." + Encode(payload);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public void Dispose() => _key.Dispose();
}
