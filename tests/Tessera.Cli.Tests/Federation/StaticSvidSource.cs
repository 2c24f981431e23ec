using Tessera.Spiffe.X509;

namespace Tessera.Cli.Tests.Federation;

/// <summary>An SVID source that always returns the SVID a workload wrote with <c>fetch x509 --write</c>.</summary>
internal sealed class StaticSvidSource(X509Svid svid) : IX509SvidSource
{
    public X509Svid GetX509Svid() => svid;
}
