using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.AspNetCore.Tests.Hosting;

/// <summary>An SVID source whose SVID a test replaces, as a rotation would.</summary>
internal sealed class MutableSvidSource(X509Svid svid) : IX509SvidSource
{
    private volatile X509Svid _current = svid;

    public X509Svid Current
    {
        get => _current;
        set => _current = value;
    }

    public X509Svid GetX509Svid() => _current;
}
