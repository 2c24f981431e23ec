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

    public Task<string> MintAsync(AgentEntry entry, IReadOnlyList<string> audience, CancellationToken cancellationToken) =>
        Task.FromResult(_signer.Mint(entry.SpiffeId, audience, TimeSpan.FromMinutes(5)));

    public void Dispose() => _key.Dispose();
}
