using System.Net.Security;

namespace Tessera.Spiffe.AspNetCore.Http;

/// <summary>
/// An <see cref="SslStream"/> that stops tracking itself for revocation when the handler disposes it. A subclass,
/// not a wrapper: <see cref="SocketsHttpHandler"/> uses the protocol ALPN chose only on an <see cref="SslStream"/>.
/// </summary>
internal sealed class TrackedSslStream(Stream inner) : SslStream(inner, leaveInnerStreamOpen: false)
{
    public IDisposable? Tracking { get; set; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Tracking?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        Tracking?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
