using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Tessera.Agent.Svids;
using Tessera.Agent.Tests.WorkloadApi;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.Tests.Svids;

/// <summary>
/// What the agent accepts back from SignX509Svids for an entry it prepared a key for: exactly the entry's SPIFFE ID,
/// with the public key it generated, as a well-formed X509-SVID chain; every other answer is refused with its reason.
/// </summary>
public sealed class SvidSignerCheckTests : IDisposable
{
    private readonly TestCa _root = TestCa.CreateRoot("example.org");
    private readonly TestCa _intermediate;
    private readonly IssuerCertificates _issuers = new();

    public SvidSignerCheckTests() => _intermediate = _root.CreateIntermediate();

    public void Dispose()
    {
        _issuers.Dispose();
        _intermediate.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task CheckIssued_SvidForTheEntryAndItsKey_CachedWithSerialExpiryAndIssuer()
    {
        var item = await PrepareAsync("/web");
        var (leaf, result) = Signed(item, "spiffe://example.org/web");

        var (svid, error) = SvidSigner.CheckIssued(item, result, _issuers);

        Assert.Null(error);
        Assert.NotNull(svid);
        Assert.Equal("e1", svid.EntryId);
        Assert.Equal(item.Entry.Revision, svid.EntryRevision);
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/web"), svid.SpiffeId);
        Assert.Equal(leaf.SerialNumber, svid.Serial);
        Assert.Equal(new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero), svid.NotAfter);
        Assert.Equal(KeyIdentifiers.Subject(_intermediate.Certificate), svid.AuthorityKeyId);
        Assert.Equal([.. leaf.RawData, .. _intermediate.Certificate.RawData], svid.ChainDer);
        Assert.Same(item.KeyPkcs8, svid.KeyPkcs8);
    }

    [Fact]
    public async Task CheckIssued_NoResult_Refused()
    {
        var item = await PrepareAsync("/web");

        Assert.Equal((null, "the server returned no result for this entry"), SvidSigner.CheckIssued(item, null, _issuers));
    }

    [Fact]
    public async Task CheckIssued_ServerError_RefusedWithTheErrorOnOneLine()
    {
        var item = await PrepareAsync("/web");

        var (svid, error) = SvidSigner.CheckIssued(item, new SvidResult { EntryId = "e1", Error = "entry not authorised\nforged line" }, _issuers);

        Assert.Null(svid);
        Assert.Equal("entry not authorised?forged line", error); // a control character never reaches the log as such
    }

    [Fact]
    public async Task CheckIssued_OtherSpiffeId_Refused()
    {
        var item = await PrepareAsync("/web");
        var (_, result) = Signed(item, "spiffe://example.org/admin");

        Assert.Equal((null, "the server signed 'spiffe://example.org/admin', not the entry's 'spiffe://example.org/web'"), SvidSigner.CheckIssued(item, result, _issuers));
    }

    [Fact]
    public async Task CheckIssued_OtherPublicKey_Refused()
    {
        var item = await PrepareAsync("/web");
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = Result(X509SvidIssuer.IssueLeaf(_intermediate.Certificate, SpiffeId.Parse("spiffe://example.org/web"), new PublicKey(otherKey), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1)));

        Assert.Equal((null, "the server returned an unusable SVID: its public key is not the one this agent generated for the entry"), SvidSigner.CheckIssued(item, result, _issuers));
    }

    [Fact]
    public async Task CheckIssued_EmptyChain_Refused()
    {
        var item = await PrepareAsync("/web");

        Assert.Equal((null, "the server returned an unusable SVID: the certificate chain is empty"), SvidSigner.CheckIssued(item, new SvidResult { EntryId = "e1" }, _issuers));
    }

    [Fact]
    public async Task CheckIssued_NotACertificate_RefusedAsUnusable()
    {
        var item = await PrepareAsync("/web");

        var (svid, error) = SvidSigner.CheckIssued(item, new SvidResult { EntryId = "e1", SvidChain = { ByteString.CopyFromUtf8("not DER") } }, _issuers);

        Assert.Null(svid);
        Assert.StartsWith("the server returned an unusable SVID: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckIssued_SigningCertificateNotACa_RefusedNamingTheRule()
    {
        var item = await PrepareAsync("/web");
        var (leaf, _) = Signed(item, "spiffe://example.org/web");
        using var notCa = _root.IssueSvid("/not-a-ca");
        var result = new SvidResult { EntryId = "e1", SvidChain = { ByteString.CopyFrom(leaf.RawData), ByteString.CopyFrom(notCa.Leaf.RawData) } };

        var (svid, error) = SvidSigner.CheckIssued(item, result, _issuers);

        Assert.Null(svid);
        Assert.Equal("the server returned an unusable SVID: certificate 2 signs the chain but does not have basic constraints cA=true (X509-SVID §3.2, §4.1)", error);
    }

    private static async Task<PreparedSvidRequest> PrepareAsync(string path) =>
        (await SvidSigner.PrepareAsync([WorkloadApiHost.Entry("e1", path)], CancellationToken.None)).Single();

    private (X509Certificate2 Leaf, SvidResult Result) Signed(PreparedSvidRequest item, string id)
    {
        var request = CertificateRequest.LoadSigningRequest(item.Csr, HashAlgorithmName.SHA256);
        var leaf = X509SvidIssuer.IssueLeaf(_intermediate.Certificate, SpiffeId.Parse(id), request.PublicKey, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        return (leaf, Result(leaf));
    }

    private SvidResult Result(X509Certificate2 leaf) =>
        new() { EntryId = "e1", SvidChain = { ByteString.CopyFrom(leaf.RawData), ByteString.CopyFrom(_intermediate.Certificate.RawData) } };
}
