using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Node.V1;
using Tessera.Server.AdminApi;
using Tessera.Server.Revocations;
using Tessera.Server.Tests.NodeApi;

namespace Tessera.Server.Tests.AdminApi;

/// <summary>RevokeX509Svids, RevokeJwtSvids, ListRevocations and BanAgent's revocations over the real admin socket; the CRL and the Sync push.</summary>
public sealed partial class RevocationApiTests : IAsyncLifetime
{
    private NodeServer _server = null!;
    private AgentIdentity _agent = null!;

    public async Task InitializeAsync()
    {
        _server = await NodeServer.StartAsync();
        _agent = await _server.AttestAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("", "0A", "", AdminService.ReasonRequired)]
    [InlineData("  ", "0A", "", AdminService.ReasonRequired)]
    [InlineData("leak", "", "", "exactly one of serial and spiffe_id is required")]
    [InlineData("leak", "0A", "spiffe://example.org/web", "exactly one of serial and spiffe_id is required")]
    [InlineData("leak", "xyz", "", "serial: not a hex serial number (at most 20 bytes)")]
    [InlineData("leak", "", "web", "spiffe_id: scheme is missing or invalid: a SPIFFE ID must start with 'spiffe://' (SPIFFE-ID §2)")]
    public async Task RevokeX509Svids_BadRequest_InvalidArgumentWithExactMessage(string reason, string serial, string spiffeId, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.RevokeX509SvidsAsync(
            new RevokeX509SvidsRequest { Reason = reason, Serial = serial, SpiffeId = spiffeId }, deadline: NodeServer.Deadline).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "svid.x509.revoke" && r.Event.Outcome == "denied" && r.Event.Reason == message);
    }

    [Fact]
    public async Task RevokeX509Svids_UnknownSerialOrIdentity_NotFound()
    {
        var serial = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.RevokeX509SvidsAsync(
            new RevokeX509SvidsRequest { Reason = "leak", Serial = "0a:bc" }, deadline: NodeServer.Deadline).ResponseAsync);
        var identity = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.RevokeX509SvidsAsync(
            new RevokeX509SvidsRequest { Reason = "leak", SpiffeId = "spiffe://example.org/nobody" }, deadline: NodeServer.Deadline).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "no issued X509-SVID with serial 0ABC"), (serial.StatusCode, serial.Status.Detail));
        Assert.Equal((StatusCode.NotFound, "no current X509-SVID of spiffe://example.org/nobody"), (identity.StatusCode, identity.Status.Detail));
    }

    [Fact]
    public async Task RevokeX509Svids_BySerial_RecordedAuditedInCrlAndPushedToSync()
    {
        var entry = await _server.CreateEntryAsync("/web", _agent.Id.ToString());
        var (leaf, other) = (await SignAsync(entry.Id), await SignAsync(entry.Id));
        using var call = _server.NodeClient(_agent).Sync(new SyncRequest(), deadline: NodeServer.Deadline);
        Assert.Empty((await NextAsync(call)).Revocations);

        // Lower case with colons, as some tools print serials: normalised to what the server recorded.
        var typed = string.Join(":", Convert.FromHexString(leaf.SerialNumber).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        var response = await _server.AdminClient.RevokeX509SvidsAsync(new RevokeX509SvidsRequest { Serial = typed, Reason = "key leaked in a log" }, deadline: NodeServer.Deadline);

        var revoked = Assert.Single(response.Revocations);
        Assert.Equal(("x509", leaf.SerialNumber, "spiffe://example.org/web", "key leaked in a log"), (revoked.Kind, revoked.Value, revoked.SpiffeId, revoked.Reason));
        Assert.Equal(new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), revoked.ExpiresAtUnix);
        Assert.StartsWith("uid:", revoked.RevokedBy, StringComparison.Ordinal);
        var pushed = await NextAsync(call);
        Assert.False(pushed.Full);
        Assert.Equal([leaf.SerialNumber], pushed.Revocations.Select(r => r.Value));
        Assert.Single(_server.Audit.Records, r => r.Event.Action == "svid.x509.revoke" && r.Event.Outcome == "ok" && r.Event.Target == $"serial {leaf.SerialNumber} (spiffe://example.org/web)" && r.Event.Reason == "key leaked in a log");
        Assert.Equal([leaf.SerialNumber], (await _server.AdminClient.ListRevocationsAsync(new ListRevocationsRequest(), deadline: NodeServer.Deadline)).Revocations.Select(r => r.Value));

        var crl = Registry.Current.Crl!;
        var serials = CrlSerials(crl.Der);
        Assert.Contains(leaf.SerialNumber, serials);
        Assert.DoesNotContain(other.SerialNumber, serials);
        Assert.Equal(crl.Pem, await File.ReadAllTextAsync(Path.Combine(_server.Options.DataDir, "crl.pem")));

        // Revoking again adds nothing; a new stream gets the whole deny list in its first message.
        var again = await _server.AdminClient.RevokeX509SvidsAsync(new RevokeX509SvidsRequest { Serial = leaf.SerialNumber, Reason = "again" }, deadline: NodeServer.Deadline);
        Assert.Empty(again.Revocations);
        using var second = _server.NodeClient(_agent).Sync(new SyncRequest(), deadline: NodeServer.Deadline);
        Assert.Equal([leaf.SerialNumber], (await NextAsync(second)).Revocations.Select(r => r.Value));
    }

    [Fact]
    public async Task RevokeX509Svids_BySpiffeId_RevokesEveryCurrentSvidOfThatIdentity()
    {
        var web = await _server.CreateEntryAsync("/web", _agent.Id.ToString());
        var db = await _server.CreateEntryAsync("/db", _agent.Id.ToString());
        var (a, b, c) = (await SignAsync(web.Id), await SignAsync(web.Id), await SignAsync(db.Id));

        var response = await _server.AdminClient.RevokeX509SvidsAsync(new RevokeX509SvidsRequest { SpiffeId = "spiffe://example.org/web", Reason = "host compromised" }, deadline: NodeServer.Deadline);

        Assert.Equal(new[] { a.SerialNumber, b.SerialNumber }.Order(StringComparer.Ordinal), response.Revocations.Select(r => r.Value).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(c.SerialNumber, CrlSerials(Registry.Current.Crl!.Der));
    }

    [Theory]
    [InlineData("", "j1", "", 0L, AdminService.ReasonRequired)]
    [InlineData("leak", "", "", 0L, "exactly one of jti and spiffe_id is required")]
    [InlineData("leak", "j1", "spiffe://example.org/web", 0L, "exactly one of jti and spiffe_id is required")]
    [InlineData("leak", "j1", "", 1L, "expires_at is in the past: the token has already expired")]
    public async Task RevokeJwtSvids_BadRequest_InvalidArgumentWithExactMessage(string reason, string jti, string spiffeId, long expiresAt, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.RevokeJwtSvidsAsync(
            new RevokeJwtSvidsRequest { Reason = reason, Jti = jti, SpiffeId = spiffeId, ExpiresAtUnix = expiresAt }, deadline: NodeServer.Deadline).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public async Task RevokeJwtSvids_ByJtiAndByIdentity_RecordedWithBoundedExpiry()
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var byJti = await _server.AdminClient.RevokeJwtSvidsAsync(new RevokeJwtSvidsRequest { Jti = "abc", ExpiresAtUnix = exp, Reason = "token in a ticket" }, deadline: NodeServer.Deadline);
        var unknownExpiry = await _server.AdminClient.RevokeJwtSvidsAsync(new RevokeJwtSvidsRequest { Jti = "def", Reason = "token in a ticket" }, deadline: NodeServer.Deadline);
        var byId = await _server.AdminClient.RevokeJwtSvidsAsync(new RevokeJwtSvidsRequest { SpiffeId = "spiffe://example.org/web", Reason = "all tokens out" }, deadline: NodeServer.Deadline);

        Assert.Equal(("jwt", "abc", exp, string.Empty), (byJti.Revocations[0].Kind, byJti.Revocations[0].Value, byJti.Revocations[0].ExpiresAtUnix, byJti.Revocations[0].SpiffeId));
        // Unknown exp: kept until the last JWT key that could have signed it expires.
        Assert.Equal(_server.Ca.JwtKeys.Max(k => k.NotAfter).ToUnixTimeSeconds(), unknownExpiry.Revocations[0].ExpiresAtUnix);
        Assert.Equal(("jwt_before", "spiffe://example.org/web"), (byId.Revocations[0].Kind, byId.Revocations[0].Value));
        Assert.Equal(3, _server.Audit.Records.Count(r => r.Event.Action == "svid.jwt.revoke" && r.Event.Outcome == "ok"));
        Assert.Equal(3, (await _server.AdminClient.ListRevocationsAsync(new ListRevocationsRequest(), deadline: NodeServer.Deadline)).Revocations.Count);
    }

    [Fact]
    public async Task BanAgent_WithWorkloadSvids_RevokesThemAndTheAgentsOwn()
    {
        var entry = await _server.CreateEntryAsync("/web", _agent.Id.ToString());
        var workload = await SignAsync(entry.Id);

        var banned = await _server.AdminClient.BanAgentAsync(new BanAgentRequest { SpiffeId = _agent.Id.ToString(), Reason = "node stolen" }, deadline: NodeServer.Deadline);

        Assert.True(banned.Banned);
        Assert.Equal(1, banned.RevokedSvids);
        var serials = CrlSerials(Registry.Current.Crl!.Der);
        Assert.Contains(workload.SerialNumber, serials);
        Assert.Contains(_agent.Certificate.SerialNumber, serials);
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "svid.x509.revoke" && r.Event.Reason == $"node stolen (agent {_agent.Id})");
    }

    [Fact]
    public async Task RevokeX509Svids_AgentsOwnSerial_AgentRefusedEverywhere()
    {
        var entry = await _server.CreateEntryAsync("/web", _agent.Id.ToString());
        await SignAsync(entry.Id);

        await _server.AdminClient.RevokeX509SvidsAsync(new RevokeX509SvidsRequest { Serial = _agent.Certificate.SerialNumber, Reason = "agent key leaked" }, deadline: NodeServer.Deadline);

        var error = await Assert.ThrowsAsync<RpcException>(() => SignAsync(entry.Id));
        Assert.Equal((StatusCode.PermissionDenied, "agent SVID is revoked: attest again"), (error.StatusCode, error.Status.Detail));
    }

    private RevocationRegistry Registry => _server.App.Services.GetRequiredService<RevocationRegistry>();

    private async Task<X509Certificate2> SignAsync(string entryId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new SignX509SvidsRequest();
        request.Requests.Add(new SvidRequest { EntryId = entryId, Csr = ByteString.CopyFrom(NodeServer.Csr(key)) });
        var response = await _server.NodeClient(_agent).SignX509SvidsAsync(request, deadline: NodeServer.Deadline);
        Assert.Equal(string.Empty, response.Results[0].Error);
        return X509CertificateLoader.LoadCertificate(response.Results[0].SvidChain[0].Span);
    }

    // RFC 5280 §5.1: CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }; tbsCertList ::=
    // SEQUENCE { version, signature, issuer, thisUpdate, nextUpdate, revokedCertificates SEQUENCE OF SEQUENCE
    // { userCertificate, revocationDate, ... }, [0] crlExtensions }. Read independently of the builder that wrote it.
    private static List<string> CrlSerials(byte[] der)
    {
        var tbs = new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        tbs.ReadInteger(); // version v2
        tbs.ReadSequence(); // signature algorithm
        tbs.ReadSequence(); // issuer
        tbs.ReadEncodedValue(); // thisUpdate
        tbs.ReadEncodedValue(); // nextUpdate
        var serials = new List<string>();
        if (tbs.HasData && tbs.PeekTag() == Asn1Tag.Sequence)
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                serials.Add(Convert.ToHexString(revoked.ReadSequence().ReadIntegerBytes().Span));
            }
        }

        return serials;
    }

    private static async Task<SyncResponse> NextAsync(AsyncServerStreamingCall<SyncResponse> call)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.True(await call.ResponseStream.MoveNext(cts.Token), "the Sync stream ended");
        return call.ResponseStream.Current;
    }
}
