using Tessera.Spiffe.X509;

namespace Tessera.Cli.Tests;

/// <summary>An SVID source that always returns one SVID (e.g. one a workload wrote with <c>fetch x509 --write</c>).</summary>
internal sealed class StaticSvidSource(X509Svid svid) : IX509SvidSource
{
    public X509Svid GetX509Svid() => svid;
}
