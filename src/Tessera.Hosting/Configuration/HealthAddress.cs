using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Tessera.Hosting.Configuration;

/// <summary>
/// Parses <c>health_address</c>: an IP address (or <c>localhost</c>) and a port. One parser serves both the
/// start-up validation and the listener, so a value that passes validation is one the server can bind.
/// </summary>
internal static class HealthAddress
{
    public static bool TryParse(string text, [NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        endpoint = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        IPAddress? address = host == "localhost" ? IPAddress.Loopback : null;
        if (address is null && !IPAddress.TryParse(host, out address))
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
