using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Server.Ca;
using Tessera.Server.Ca.Journal;
using Tessera.Server.Ca.Journal.Memory;
using Tessera.Server.KeyManagers;
using Tessera.Server.KeyManagers.Memory;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Ca;

/// <summary>Shared set-up for CA tests.</summary>
internal static class CaTests
{
    public static readonly TrustDomain TrustDomain = TrustDomain.Parse("example.org");

    public static readonly SpiffeId Workload = SpiffeId.Parse("spiffe://example.org/workload");

    public static CaOptions Options => new() { TrustDomain = TrustDomain };

    public static Task<CertificateAuthority> CreateAsync(TimeProvider clock, CaOptions? options = null, IKeyManager? keys = null, ICaJournal? journal = null) =>
        CertificateAuthority.CreateAsync(options ?? Options, keys ?? new MemoryKeyManager(), journal ?? new MemoryCaJournal(), clock, CancellationToken.None);

    /// <summary>A fresh P-256 workload key's public part.</summary>
    public static PublicKey NewPublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new PublicKey(key);
    }
}
