using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Tests.NodeApi;

/// <summary>SignX509Svids, SignJwtSvid and ReportEvents for an attested agent.</summary>
public sealed class SigningTests : IAsyncLifetime
{
    private NodeServer _server = null!;
    private AgentIdentity _agent = null!;
    private Node.NodeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await NodeServer.StartAsync();
        _agent = await _server.AttestAsync();
        _client = _server.NodeClient(_agent);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SignX509Svids_AuthorisedEntries_SvidsVerifyAndServerSetsEveryExtension()
    {
        var web = await _server.CreateEntryAsync("/web", _agent.Id.ToString(), "web.example.org");
        var sidecar = await _server.CreateEntryAsync("/web/sidecar", web.SpiffeId);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // The CSR asks for a CA flag and extra SANs; the server must ignore all of it.
        var greedy = NodeServer.Csr(key, request =>
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            var san = new SubjectAlternativeNameBuilder();
            san.AddUri(new Uri("spiffe://example.org/admin"));
            san.AddDnsName("evil.example.org");
            request.CertificateExtensions.Add(san.Build());
        });
        var request = new SignX509SvidsRequest();
        request.Requests.Add(new SvidRequest { EntryId = web.Id, Csr = ByteString.CopyFrom(greedy) });
        request.Requests.Add(new SvidRequest { EntryId = sidecar.Id, Csr = ByteString.CopyFrom(NodeServer.Csr(key)) });

        var response = await _client.SignX509SvidsAsync(request, deadline: NodeServer.Deadline);

        Assert.Equal([web.Id, sidecar.Id], response.Results.Select(r => r.EntryId));
        Assert.All(response.Results, r => Assert.Equal(string.Empty, r.Error));
        using var leaf = X509CertificateLoader.LoadCertificate(response.Results[0].SvidChain[0].Span);
        var verified = X509SvidVerifier.Verify([leaf], _agent.Bundle, TimeProvider.System);
        Assert.True(verified.IsValid, verified.Message);
        Assert.Equal("spiffe://example.org/web", verified.Id.ToString());
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var sans = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["web.example.org"], sans.EnumerateDnsNames());
        Assert.DoesNotContain("admin", Convert.ToHexString(leaf.RawData), StringComparison.Ordinal);
        var record = await _server.Store.GetIssuedSvidAsync(leaf.SerialNumber, CancellationToken.None);
        Assert.Equal(_agent.Id, record!.IssuedTo);
        Assert.Equal(2, _server.Audit.Records.Count(r => r.Event.Action == "svid.x509.sign" && r.Event.Outcome == "ok" && r.Event.Caller == $"agent {_agent.Id}"));
        Assert.True((await new Tessera.Server.Audit.AuditLog(_server.Audit).VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task SignX509Svids_UnauthorisedEntry_RefusedPerItemAndAudited()
    {
        var other = await _server.AttestAsync();
        var mine = await _server.CreateEntryAsync("/mine", _agent.Id.ToString());
        var theirs = await _server.CreateEntryAsync("/theirs", other.Id.ToString());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new SignX509SvidsRequest();
        request.Requests.Add(new SvidRequest { EntryId = theirs.Id, Csr = ByteString.CopyFrom(NodeServer.Csr(key)) });
        request.Requests.Add(new SvidRequest { EntryId = mine.Id, Csr = ByteString.CopyFrom(NodeServer.Csr(key)) });

        var response = await _client.SignX509SvidsAsync(request, deadline: NodeServer.Deadline);

        var expected = $"agent {_agent.Id} is not authorised for entry {theirs.Id}";
        Assert.Equal(expected, response.Results[0].Error);
        Assert.Empty(response.Results[0].SvidChain);
        Assert.Equal(string.Empty, response.Results[1].Error);
        var denied = Assert.Single(_server.Audit.Records, r => r.Event.Action == "svid.x509.sign" && r.Event.Outcome == "denied");
        Assert.Equal(expected, denied.Event.Reason);
        Assert.Equal($"entry {theirs.Id}", denied.Event.Target);
    }

    [Fact]
    public async Task SignX509Svids_BadCsr_ItemErrorNothingSigned()
    {
        var mine = await _server.CreateEntryAsync("/mine", _agent.Id.ToString());
        var request = new SignX509SvidsRequest();
        request.Requests.Add(new SvidRequest { EntryId = mine.Id, Csr = ByteString.CopyFrom([1, 2, 3]) });

        var response = await _client.SignX509SvidsAsync(request, deadline: NodeServer.Deadline);

        Assert.Equal("csr: CSR is not a valid PKCS#10 request", response.Results[0].Error);
        Assert.Empty(response.Results[0].SvidChain);
    }

    [Fact]
    public async Task SignX509Svids_OversizeBatch_InvalidArgumentNamingTheLimit()
    {
        var request = new SignX509SvidsRequest();
        for (var i = 0; i < 1001; i++)
        {
            request.Requests.Add(new SvidRequest { EntryId = "x" });
        }

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _client.SignX509SvidsAsync(request, deadline: NodeServer.Deadline));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("a SignX509Svids batch holds at most 1000 requests; got 1001", ex.Status.Detail);
    }

    [Fact]
    public async Task SignX509Svids_FullBatchOf1000_AllSignedRecordedAndAuditedInChain()
    {
        var entries = new Tessera.Contracts.Admin.V1.CreateEntriesRequest();
        for (var i = 0; i < 500; i++)
        {
            var entry = new Tessera.Contracts.Admin.V1.Entry { SpiffeId = $"spiffe://example.org/w/{i}", ParentId = _agent.Id.ToString(), Owner = "t" };
            entry.Selectors.Add(new Tessera.Contracts.Admin.V1.Selector { Type = "unix", Value = $"uid:{i}" });
            entries.Entries.Add(entry);
        }

        var created = (await _server.AdminClient.CreateEntriesAsync(entries, deadline: NodeServer.Deadline)).Entries;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = ByteString.CopyFrom(NodeServer.Csr(key));
        var request = new SignX509SvidsRequest();
        request.Requests.AddRange(created.Concat(created).Select(e => new SvidRequest { EntryId = e.Id, Csr = csr }));

        var response = await _client.SignX509SvidsAsync(request, deadline: NodeServer.Deadline);

        Assert.Equal(1000, response.Results.Count(r => r.Error.Length == 0 && r.SvidChain.Count == 1));
        Assert.Equal(1000, _server.Audit.Records.Count(r => r.Event.Action == "svid.x509.sign" && r.Event.Outcome == "ok"));
        Assert.True((await new Tessera.Server.Audit.AuditLog(_server.Audit).VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task SignJwtSvid_AuthorisedEntry_TokenValidatesAgainstJwtBundle()
    {
        var web = await _server.CreateEntryAsync("/web", _agent.Id.ToString());
        var request = new SignJwtSvidRequest { EntryId = web.Id };
        request.Audience.Add("payments");

        var response = await _client.SignJwtSvidAsync(request, deadline: NodeServer.Deadline);

        var validated = JwtSvidValidator.Validate(response.Token, _agent.Bundle, "payments", TimeProvider.System, TimeSpan.Zero);
        Assert.True(validated.IsValid, validated.ToString());
        Assert.Equal("spiffe://example.org/web", validated.Svid!.Id.ToString());
        var audited = Assert.Single(_server.Audit.Records, r => r.Event.Action == "svid.jwt.sign");
        Assert.Equal($"entry {web.Id} spiffe://example.org/web aud payments", audited.Event.Target);
        Assert.DoesNotContain(response.Token, string.Concat(_server.Audit.Records.Select(r => r.Event.Target)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignJwtSvid_BoundToTheEntrysSvid_CarriesThumbprintAndEndsWithTheCertificate()
    {
        var web = await _server.CreateEntryAsync("/web", _agent.Id.ToString());
        var leaf = await SignX509Async(web.Id);
        var request = new SignJwtSvidRequest { EntryId = web.Id, BindX509Svid = ByteString.CopyFrom(leaf.RawData) };
        request.Audience.Add("payments");

        var response = await _client.SignJwtSvidAsync(request, deadline: NodeServer.Deadline);

        var validated = JwtSvidValidator.Validate(response.Token, _agent.Bundle, "payments", TimeProvider.System, TimeSpan.Zero);
        Assert.True(validated.IsValid, validated.ToString());
        var claims = System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(response.Token.Split('.')[1])).RootElement;
        Assert.Equal(System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(leaf.RawData)), claims.GetProperty("cnf").GetProperty("x5t#S256").GetString());
        Assert.True(DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64()) <= new DateTimeOffset(leaf.NotAfter.ToUniversalTime()));
        var audited = Assert.Single(_server.Audit.Records, r => r.Event.Action == "svid.jwt.sign");
        Assert.Equal($"entry {web.Id} spiffe://example.org/web aud payments bound to serial {leaf.SerialNumber}", audited.Event.Target);
    }

    [Fact]
    public async Task SignJwtSvid_BoundToAnotherIdentitysSvid_PermissionDeniedAndAudited()
    {
        var web = await _server.CreateEntryAsync("/web", _agent.Id.ToString());
        var db = await _server.CreateEntryAsync("/db", _agent.Id.ToString());
        var dbLeaf = await SignX509Async(db.Id);
        using var foreignCa = TestCa.CreateRoot();
        using var foreign = foreignCa.IssueSvid("/web");
        async Task<RpcException> Refused(byte[] binding)
        {
            var request = new SignJwtSvidRequest { EntryId = web.Id, BindX509Svid = ByteString.CopyFrom(binding) };
            request.Audience.Add("payments");
            return await Assert.ThrowsAsync<RpcException>(async () => await _client.SignJwtSvidAsync(request, deadline: NodeServer.Deadline));
        }

        var otherIdentity = await Refused(dbLeaf.RawData);
        var otherCa = await Refused(foreign.Leaf.RawData);
        var garbage = await Refused([0x30, 0x03, 0x02, 0x01, 0x00]);

        Assert.Equal(StatusCode.PermissionDenied, otherIdentity.StatusCode);
        Assert.Equal("bind_x509_svid is an SVID of spiffe://example.org/db, not of the entry's spiffe://example.org/web", otherIdentity.Status.Detail);
        Assert.Equal("bind_x509_svid does not verify: certificate chain does not lead to an authority in the X.509 bundle of trust domain 'example.org'", otherCa.Status.Detail);
        Assert.Equal("bind_x509_svid is not a DER certificate", garbage.Status.Detail);
        Assert.Equal(3, _server.Audit.Records.Count(r => r.Event.Action == "svid.jwt.sign" && r.Event.Outcome == "denied" && r.Event.Reason.StartsWith("bind_x509_svid", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SignJwtSvid_NoAudience_InvalidArgument()
    {
        var web = await _server.CreateEntryAsync("/web", _agent.Id.ToString());

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _client.SignJwtSvidAsync(new SignJwtSvidRequest { EntryId = web.Id }, deadline: NodeServer.Deadline));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("audience is required (one or more non-empty values)", ex.Status.Detail);
    }

    [Fact]
    public async Task SignJwtSvid_UnauthorisedEntry_PermissionDeniedAndAudited()
    {
        var request = new SignJwtSvidRequest { EntryId = "no-such-entry" };
        request.Audience.Add("payments");

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _client.SignJwtSvidAsync(request, deadline: NodeServer.Deadline));

        var expected = $"agent {_agent.Id} is not authorised for entry no-such-entry";
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(expected, ex.Status.Detail);
        Assert.Equal(expected, Assert.Single(_server.Audit.Records, r => r.Event.Action == "svid.jwt.sign").Event.Reason);
    }

    [Fact]
    public async Task ReportEvents_Events_LandInAuditLogAttributedToAgent()
    {
        var request = new ReportEventsRequest();
        request.Events.Add(new AgentEvent { Time = 1, Caller = "uid:1001 pid:4242 exe:/usr/bin/curl", Action = "workload.fetch_x509_svid", Target = "workload api", Outcome = "denied", Reason = "no entry matches\nforged line" });

        await _client.ReportEventsAsync(request, deadline: NodeServer.Deadline);

        var audited = Assert.Single(_server.Audit.Records, r => r.Event.Action == "workload.fetch_x509_svid");
        Assert.Equal($"agent {_agent.Id}: uid:1001 pid:4242 exe:/usr/bin/curl", audited.Event.Caller);
        Assert.Equal("denied", audited.Event.Outcome);
        Assert.Equal("no entry matches?forged line", audited.Event.Reason);
    }

    [Fact]
    public async Task ReportEvents_TooMany_InvalidArgument()
    {
        var request = new ReportEventsRequest();
        request.Events.AddRange(Enumerable.Range(0, 1001).Select(_ => new AgentEvent { Action = "x" }));

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _client.ReportEventsAsync(request, deadline: NodeServer.Deadline));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("a ReportEvents call holds at most 1000 events; got 1001", ex.Status.Detail);
    }

    private async Task<X509Certificate2> SignX509Async(string entryId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new SignX509SvidsRequest();
        request.Requests.Add(new SvidRequest { EntryId = entryId, Csr = ByteString.CopyFrom(NodeServer.Csr(key)) });
        var response = await _client.SignX509SvidsAsync(request, deadline: NodeServer.Deadline);
        return X509CertificateLoader.LoadCertificate(response.Results[0].SvidChain[0].Span);
    }
}
