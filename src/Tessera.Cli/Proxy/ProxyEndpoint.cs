using System.Globalization;
using System.Net;

namespace Tessera.Cli.Proxy;

/// <summary>A <c>host:port</c> flag value (<c>127.0.0.1:8443</c>, <c>[::1]:8443</c>, <c>db.internal:5432</c>).</summary>
internal sealed record ProxyEndpoint(string Host, int Port)
{
    public static bool TryParse(string text, out ProxyEndpoint endpoint, out string error)
    {
        endpoint = new ProxyEndpoint(string.Empty, 0);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{text}' is not host:port (e.g. 127.0.0.1:8443)";
            return false;
        }

        endpoint = new ProxyEndpoint(text[..colon].Trim('[', ']'), port);
        error = string.Empty;
        return true;
    }

    /// <summary>The address to listen on; listening needs an IP address, not a name.</summary>
    public bool TryGetAddress(out IPEndPoint address) =>
        (address = IPAddress.TryParse(Host, out var ip) ? new IPEndPoint(ip, Port) : null!) is not null;

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
