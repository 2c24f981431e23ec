using System.Security.Cryptography;
using Tessera.Agent.Cache;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Jwt;

namespace Tessera.Agent.Tests.WorkloadApi;

/// <summary>Mints real JWT-SVIDs with a fresh P-256 key, standing in for the agent core's server round trip.</summary>
internal sealed class FakeJwtSvidMinter : IJwtSvidMinter, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JwtSvidSigner _signer;

    public FakeJwtSvidMinter()
    {
        _signer = new JwtSvidSigner(_key, "test-key-1");
    }

    public JwtAuthority Authority => _signer.Authority;

    /// <summary>Gets the leaf each bound token was asked for, in order.</summary>
    public List<byte[]> BoundTo { get; } = [];

    public Task<string> MintAsync(AgentEntry entry, IReadOnlyList<string> audience, byte[]? bindTo, CancellationToken cancellationToken)
    {
        if (bindTo is null)
        {
            return Task.FromResult(_signer.Mint(entry.SpiffeId, audience, TimeSpan.FromMinutes(5)));
        }

        lock (BoundTo)
        {
            BoundTo.Add(bindTo);
        }

        var thumbprint = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(bindTo));
        var cnf = System.Text.Json.JsonDocument.Parse($"{{\"x5t#S256\":\"{thumbprint}\"}}").RootElement.Clone();
        var now = DateTimeOffset.UtcNow;
        return Task.FromResult(_signer.Mint(entry.SpiffeId, audience, now, now.AddMinutes(5), extraClaims: new Dictionary<string, System.Text.Json.JsonElement> { ["cnf"] = cnf }));
    }

    public void Dispose() => _key.Dispose();
}
