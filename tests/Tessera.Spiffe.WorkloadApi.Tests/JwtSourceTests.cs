using Grpc.Core;
using Tessera.Agent.Tests.WorkloadApi;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.WorkloadApi.Tests;

public sealed class JwtSourceTests : IAsyncLifetime
{
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkloadApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FetchJwtSvidAsync_ThenValidate_AcceptedForItsAudienceOnly()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        await using var source = await JwtSource.CreateAsync(X509SourceTests.Options(_host.SocketPath)).WaitAsync(WorkloadApiHost.Timeout);

        var svid = await source.FetchJwtSvidAsync("svc-a").WaitAsync(WorkloadApiHost.Timeout);
        var accepted = source.Validate(svid.Token, "svc-a");
        var rejected = source.Validate(svid.Token, "svc-z");

        Assert.True(accepted.IsValid, accepted.Message);
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/web"), accepted.Svid.Id);
        Assert.Equal(JwtSvidError.AudienceMismatch, rejected.Error);
        Assert.Equal("token audience ['svc-a'] does not contain 'svc-z' (JWT-SVID §3.2)", rejected.Message);
        Assert.True(source.TryGetJwtBundle(WorkloadApiHost.Domain, out var bundle));
        Assert.Equal(_host.Minter.Authority, Assert.Single(bundle.Authorities));
    }

    [Fact]
    public async Task FetchJwtSvidAsync_JwtBindingOption_TokenBoundToTheCallersX509Svid()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        await using var x509 = await X509Source.CreateAsync(X509SourceTests.Options(_host.SocketPath)).WaitAsync(WorkloadApiHost.Timeout);
        await using var source = await JwtSource.CreateAsync(X509SourceTests.Options(_host.SocketPath) with { JwtBinding = JwtSvidBinding.X509Svid }).WaitAsync(WorkloadApiHost.Timeout);

        var svid = await source.FetchJwtSvidAsync("svc-a").WaitAsync(WorkloadApiHost.Timeout);

        var thumbprint = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(x509.Svid.Certificate.RawData));
        Assert.Equal(thumbprint, svid.Claims.GetProperty("cnf").GetProperty("x5t#S256").GetString());
    }

    [Fact]
    public async Task FetchJwtSvidAsync_NoIdentity_WorkloadApiExceptionPermissionDenied()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/other", "unix:uid:999999"));
        await using var source = await JwtSource.CreateAsync(X509SourceTests.Options(_host.SocketPath)).WaitAsync(WorkloadApiHost.Timeout);

        var ex = await Assert.ThrowsAsync<WorkloadApiException>(() => source.FetchJwtSvidAsync("svc-a").WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("no identity issued", ex.Message);
    }

    [Fact]
    public async Task DisposeAsync_StopsTheWatchLoopAndRefusesCalls()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var source = await JwtSource.CreateAsync(X509SourceTests.Options(_host.SocketPath)).WaitAsync(WorkloadApiHost.Timeout);

        await source.DisposeAsync().AsTask().WaitAsync(WorkloadApiHost.Timeout);

        Assert.False(source.IsWatching);
        Assert.Throws<ObjectDisposedException>(() => source.Validate("token", "svc-a"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => source.FetchJwtSvidAsync("svc-a"));
    }
}
