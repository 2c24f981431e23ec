using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Contracts.Workload;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.WorkloadApi.Internal;

namespace Tessera.Spiffe.WorkloadApi.Tests.Internal;

public sealed class ResponseReaderTests
{
    private static readonly TrustDomain Domain = TrustDomain.Parse("example.org");

    [Fact]
    public void ReadJwtBundles_KeysWithoutUseAsSpireSendsThem_Accepted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authority = new JwtAuthority("k1", key);

        // go-spiffe's jwtbundle.Marshal (used by SPIRE's agent) writes no "use" member.
        var jwk = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(authority.ToJwk())!;
        jwk.Remove("use");
        var response = new JWTBundlesResponse();
        response.Bundles.Add("spiffe://example.org", ByteString.CopyFromUtf8(JsonSerializer.Serialize(new { keys = new[] { jwk } })));

        var bundles = ResponseReader.ReadJwtBundles(response);

        Assert.True(bundles.TryGetJwtBundle(Domain, out var bundle));
        Assert.Equal(authority, Assert.Single(bundle.Authorities));
    }

    [Fact]
    public void ReadJwtBundles_OtherUseAndUnknownKeyType_Skipped()
    {
        var response = new JWTBundlesResponse();
        response.Bundles.Add("example.org", ByteString.CopyFromUtf8("""{"keys":[{"kty":"EC","use":"x509-svid","x5c":["AA=="]},{"kty":"OKP","kid":"x","crv":"Ed25519","x":"AA"}]}"""));

        var bundles = ResponseReader.ReadJwtBundles(response);

        Assert.True(bundles.TryGet(Domain, out var bundle));
        Assert.True(bundle.JwtBundle.IsEmpty);
    }

    [Fact]
    public void ReadJwtBundles_NotJwks_InternalNamingTheTrustDomain()
    {
        var response = new JWTBundlesResponse();
        response.Bundles.Add("spiffe://example.org", ByteString.CopyFromUtf8("""{"key":[]}"""));

        var ex = Assert.Throws<WorkloadApiException>(() => ResponseReader.ReadJwtBundles(response));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal("malformed JWT bundles response from the Workload API: the JWKS of 'example.org' has no 'keys' array", ex.Message);
    }

    [Fact]
    public void ReadX509Context_NoSvid_Internal()
    {
        var ex = Assert.Throws<WorkloadApiException>(() => ResponseReader.ReadX509Context(new X509SVIDResponse()));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal("the Workload API sent an X.509 response without any SVID", ex.Message);
    }

    [Fact]
    public void ReadX509Bundles_BadKey_InternalNamingTheKey()
    {
        var response = new X509BundlesResponse();
        response.Bundles.Add("spiffe://Example.org", ByteString.Empty);

        var ex = Assert.Throws<WorkloadApiException>(() => ResponseReader.ReadX509Bundles(response));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.StartsWith("malformed X.509 bundles response from the Workload API: bundle key 'spiffe://Example.org' is not a trust domain: ", ex.Message, StringComparison.Ordinal);
    }
}
