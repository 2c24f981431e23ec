using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tests.Revocation;

/// <summary>Revoked CA keys (an intermediate the server stopped using under an upstream root): chains through them are refused.</summary>
public sealed class DenyListAuthorityTests : IDisposable
{
    private static readonly TrustDomain ExampleOrg = TrustDomain.Parse("example.org");
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _intermediate;
    private readonly X509Certificate2 _leaf;

    public DenyListAuthorityTests()
    {
        _root = X509SvidIssuer.CreateAuthority(ExampleOrg, _rootKey, _now.AddMinutes(-1), _now.AddDays(1));
        using var intermediate = X509SvidIssuer.IssueIntermediate(_root, ExampleOrg, new PublicKey(_intermediateKey), _now.AddMinutes(-1), _now.AddHours(12));
        _intermediate = intermediate.CopyWithPrivateKey(_intermediateKey);
        _leaf = X509SvidIssuer.IssueLeaf(_intermediate, SpiffeId.Parse("spiffe://example.org/web"), new PublicKey(_leafKey), _now.AddMinutes(-1), _now.AddHours(1));
    }

    private string IntermediateKeyId => KeyIdentifiers.Subject(_intermediate)!;

    public void Dispose()
    {
        _leaf.Dispose();
        _intermediate.Dispose();
        _root.Dispose();
        _leafKey.Dispose();
        _intermediateKey.Dispose();
        _rootKey.Dispose();
    }

    [Fact]
    public void CheckX509Chain_IntermediateKeyRevoked_RefusedNamingTheKey()
    {
        var list = DenyList.Empty.WithAuthority(IntermediateKeyId.ToLowerInvariant(), _now.AddHours(12));

        var refusal = list.CheckX509Chain([_leaf, _intermediate, _root]);

        Assert.Equal($"the CA key {IntermediateKeyId} ({_intermediate.Subject}) in the chain of certificate serial {_leaf.SerialNumber} is revoked", refusal);
    }

    [Fact]
    public void CheckX509Chain_OtherKeyRevoked_Accepted()
    {
        var list = DenyList.Empty.WithAuthority("00112233", _now.AddHours(1));

        Assert.Null(list.CheckX509Chain([_leaf, _intermediate, _root]));
    }

    [Fact]
    public void CheckX509Chain_LeafSerialRevoked_RefusedBeforeAuthorities()
    {
        var list = DenyList.Empty.WithSerial(_leaf.SerialNumber, _now.AddHours(1)).WithAuthority(IntermediateKeyId, _now.AddHours(1));

        Assert.Equal($"certificate serial {_leaf.SerialNumber} is revoked", list.CheckX509Chain([_leaf, _intermediate, _root]));
    }

    [Fact]
    public void CheckX509Chain_Empty_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => DenyList.Empty.CheckX509Chain([]));

        Assert.StartsWith("the chain is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckX509_LeafWhoseAuthorityKeyIsRevoked_Refused()
    {
        var list = DenyList.Empty.WithAuthority(IntermediateKeyId, _now.AddHours(1));

        Assert.Equal($"the CA key {IntermediateKeyId} that signed certificate serial {_leaf.SerialNumber} is revoked", list.CheckX509(_leaf));
        Assert.Equal(IntermediateKeyId, KeyIdentifiers.Authority(_leaf));
    }

    [Fact]
    public void Prune_ExpiredAuthority_Dropped_AndCountedWhileKept()
    {
        var list = DenyList.Empty.WithAuthority("AA", _now.AddSeconds(-1)).WithAuthority("BB", _now.AddHours(1));

        Assert.Equal(2, list.Count);
        Assert.Equal(["BB"], list.Prune(_now).Authorities.Keys);
        Assert.False(list.SameRecords(list.Prune(_now)));
        Assert.True(list.Prune(_now).SameRecords(DenyList.Empty.WithAuthority("bb", _now.AddHours(1))));
    }
}
