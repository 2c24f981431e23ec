using Tessera.Spiffe.X509;

namespace Tessera.Cli.Drill;

/// <summary>Presents one given X509-SVID: the canary credential under test, not whatever the Workload API serves now.</summary>
internal sealed class FixedSvidSource(X509Svid svid) : IX509SvidSource
{
    public X509Svid GetX509Svid() => svid;
}
