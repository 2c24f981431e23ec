using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tests.Tls;

/// <summary>An SVID source whose SVID a test replaces, as a rotation would.</summary>
internal sealed class StaticSvidSource(X509Svid svid) : IX509SvidSource
{
    public X509Svid Current { get; set; } = svid;

    public X509Svid GetX509Svid() => Current;
}
