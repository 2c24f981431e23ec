using Grpc.Core;
using Tessera.Contracts.Workload;

namespace Tessera.Agent.Tests.WorkloadApi;

public sealed class JwtSvidTests : IAsyncLifetime
{
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await WorkloadApiHost.StartAsync();
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"), WorkloadApiHost.Entry("e2", "/api"), WorkloadApiHost.Entry("e3", "/not-mine", "unix:uid:999999"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FetchJWTSVID_NoAudience_InvalidArgument()
    {
        await StreamReading.AssertStatusAsync(
            () => _host.Client().FetchJWTSVIDAsync(new JWTSVIDRequest(), WorkloadApiHost.Options()).ResponseAsync,
            StatusCode.InvalidArgument,
            "audience must be specified");
    }

    [Fact]
    public async Task FetchJWTSVID_NoSecurityHeader_InvalidArgument()
    {
        await StreamReading.AssertStatusAsync(
            () => _host.Client().FetchJWTSVIDAsync(new JWTSVIDRequest { Audience = { "billing" } }, deadline: DateTime.UtcNow + WorkloadApiHost.Timeout).ResponseAsync,
            StatusCode.InvalidArgument,
            "security header 'workload.spiffe.io: true' is missing");
    }

    [Fact]
    public async Task FetchJWTSVID_EveryIdentity_OneTokenEachForTheAudience()
    {
        var response = await _host.Client().FetchJWTSVIDAsync(new JWTSVIDRequest { Audience = { "billing" } }, WorkloadApiHost.Options());

        Assert.Equal(["spiffe://example.org/api", "spiffe://example.org/web"], response.Svids.Select(s => s.SpiffeId));
        Assert.Equal(["hint-e2", "hint-e1"], response.Svids.Select(s => s.Hint));
        var validated = await _host.Client().ValidateJWTSVIDAsync(new ValidateJWTSVIDRequest { Audience = "billing", Svid = response.Svids[1].Svid }, WorkloadApiHost.Options());
        Assert.Equal("spiffe://example.org/web", validated.SpiffeId);
    }

    [Fact]
    public async Task FetchJWTSVID_BindingRequested_TokenBoundToTheCallersCurrentX509Svid()
    {
        var headers = new Metadata { { "workload.spiffe.io", "true" }, { "tessera-jwt-binding", "x5t#S256" } };

        var response = await _host.Client().FetchJWTSVIDAsync(new JWTSVIDRequest { Audience = { "billing" }, SpiffeId = "spiffe://example.org/web" }, headers, DateTime.UtcNow + WorkloadApiHost.Timeout);

        using var stream = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());
        var x509 = await stream.ResponseStream.NextAsync();
        var leaf = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(x509.Svids.Single(s => s.SpiffeId == "spiffe://example.org/web").X509Svid.Span[..LeafLength(x509)]);
        Assert.Equal(leaf.RawData, Assert.Single(_host.Minter.BoundTo));
        var claims = System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(Assert.Single(response.Svids).Svid.Split('.')[1])).RootElement;
        Assert.Equal(System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(leaf.RawData)), claims.GetProperty("cnf").GetProperty("x5t#S256").GetString());
    }

    [Fact]
    public async Task FetchJWTSVID_UnknownBinding_InvalidArgumentNamingTheSupportedOne()
    {
        var headers = new Metadata { { "workload.spiffe.io", "true" }, { "tessera-jwt-binding", "jkt" } };

        await StreamReading.AssertStatusAsync(
            () => _host.Client().FetchJWTSVIDAsync(new JWTSVIDRequest { Audience = { "billing" } }, headers, DateTime.UtcNow + WorkloadApiHost.Timeout).ResponseAsync,
            StatusCode.InvalidArgument,
            "tessera-jwt-binding: 'jkt' is not supported; use 'x5t#S256'");
        Assert.Empty(_host.Minter.BoundTo);
    }

    [Fact]
    public async Task FetchJWTSVID_OneOfOwnIds_OnlyThatToken()
    {
        var response = await _host.Client().FetchJWTSVIDAsync(new JWTSVIDRequest { Audience = { "billing" }, SpiffeId = "spiffe://example.org/web" }, WorkloadApiHost.Options());

        Assert.Equal("spiffe://example.org/web", Assert.Single(response.Svids).SpiffeId);
    }

    [Fact]
    public async Task FetchJWTSVID_ForeignSpiffeId_PermissionDeniedAndReported()
    {
        await StreamReading.AssertStatusAsync(
            () => _host.Client().FetchJWTSVIDAsync(new JWTSVIDRequest { Audience = { "billing" }, SpiffeId = "spiffe://example.org/not-mine" }, WorkloadApiHost.Options()).ResponseAsync,
            StatusCode.PermissionDenied,
            "no identity 'spiffe://example.org/not-mine' issued to the caller");
        Assert.Equal("workload.fetch_jwt_svid", Assert.Single(_host.Events.Events).Action);
    }

    [Fact]
    public async Task FetchJWTSVID_MalformedSpiffeId_InvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _host.Client().FetchJWTSVIDAsync(new JWTSVIDRequest { Audience = { "billing" }, SpiffeId = "https://example.org/web" }, WorkloadApiHost.Options()).ResponseAsync.WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("spiffe_id is invalid: ", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateJWTSVID_Valid_ReturnsSpiffeIdAndClaims()
    {
        var token = await _host.Minter.MintAsync(_host.Cache.Current.Entries["e1"], ["billing", "audit"], null, CancellationToken.None);

        var response = await _host.Client().ValidateJWTSVIDAsync(new ValidateJWTSVIDRequest { Audience = "audit", Svid = token }, WorkloadApiHost.Options());

        Assert.Equal("spiffe://example.org/web", response.SpiffeId);
        Assert.Equal("spiffe://example.org/web", response.Claims.Fields["sub"].StringValue);
        Assert.Equal(["billing", "audit"], response.Claims.Fields["aud"].ListValue.Values.Select(v => v.StringValue));
        Assert.True(response.Claims.Fields["exp"].NumberValue > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task ValidateJWTSVID_WrongAudience_InvalidArgumentNamingTheMismatch()
    {
        var token = await _host.Minter.MintAsync(_host.Cache.Current.Entries["e1"], ["billing"], null, CancellationToken.None);

        await StreamReading.AssertStatusAsync(
            () => _host.Client().ValidateJWTSVIDAsync(new ValidateJWTSVIDRequest { Audience = "payroll", Svid = token }, WorkloadApiHost.Options()).ResponseAsync,
            StatusCode.InvalidArgument,
            "invalid JWT-SVID (AudienceMismatch): token audience ['billing'] does not contain 'payroll' (JWT-SVID §3.2)");
        var reported = Assert.Single(_host.Events.Events, e => e.Action == "workload.validate_jwt_svid");
        Assert.Equal("denied", reported.Outcome);
        Assert.Equal("invalid JWT-SVID (AudienceMismatch): token audience ['billing'] does not contain 'payroll' (JWT-SVID §3.2)", reported.Reason);
        Assert.StartsWith("uid:", reported.Caller, StringComparison.Ordinal);
        Assert.DoesNotContain(token, reported.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateJWTSVID_Garbage_InvalidArgumentMalformed()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _host.Client().ValidateJWTSVIDAsync(new ValidateJWTSVIDRequest { Audience = "billing", Svid = "not.a.token" }, WorkloadApiHost.Options()).ResponseAsync.WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("invalid JWT-SVID (Malformed): ", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateJWTSVID_MissingAudienceOrSvid_InvalidArgument()
    {
        await StreamReading.AssertStatusAsync(
            () => _host.Client().ValidateJWTSVIDAsync(new ValidateJWTSVIDRequest { Svid = "x" }, WorkloadApiHost.Options()).ResponseAsync,
            StatusCode.InvalidArgument,
            "audience must be specified");
        await StreamReading.AssertStatusAsync(
            () => _host.Client().ValidateJWTSVIDAsync(new ValidateJWTSVIDRequest { Audience = "billing" }, WorkloadApiHost.Options()).ResponseAsync,
            StatusCode.InvalidArgument,
            "svid must be specified");
    }

    private static int LeafLength(X509SVIDResponse response)
    {
        var der = response.Svids.Single(s => s.SpiffeId == "spiffe://example.org/web").X509Svid.ToByteArray();
        System.Formats.Asn1.AsnDecoder.ReadEncodedValue(der, System.Formats.Asn1.AsnEncodingRules.DER, out _, out _, out var consumed);
        return consumed;
    }
}
