using System.Net.Security;

namespace Tessera.Spiffe.AspNetCore.Http;

/// <summary>The ALPN protocols to offer for a connection, mirroring what <see cref="SocketsHttpHandler"/> offers itself.</summary>
internal static class Alpn
{
    private static readonly List<SslApplicationProtocol> Http2Only = [SslApplicationProtocol.Http2];
    private static readonly List<SslApplicationProtocol> Http2OrHttp11 = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
    private static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];

    public static List<SslApplicationProtocol> For(HttpRequestMessage request)
    {
        // Copies: SslStream may keep the list, and the handler must not see one connection's list change another's.
        if (request.Version.Major >= 2)
        {
            return request.VersionPolicy == HttpVersionPolicy.RequestVersionExact ? [.. Http2Only] : [.. Http2OrHttp11];
        }

        return request.VersionPolicy == HttpVersionPolicy.RequestVersionOrHigher ? [.. Http2OrHttp11] : [.. Http11Only];
    }
}
