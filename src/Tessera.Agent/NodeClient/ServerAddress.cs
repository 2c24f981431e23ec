using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tessera.Agent.NodeClient;

/// <summary>Parses <c>server_address</c>: <c>host:port</c> or <c>[v6]:port</c>, into the https URI of the node API.</summary>
internal static class ServerAddress
{
    public static bool TryParse(string text, [NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
        {
            return false;
        }

        var host = text[..colon];
        if (host.Contains(':', StringComparison.Ordinal) && !(host.StartsWith('[') && host.EndsWith(']')))
        {
            return false; // an IPv6 address must be bracketed, or the port is ambiguous
        }

        if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            return false;
        }

        return Uri.TryCreate($"https://{host}:{port}", UriKind.Absolute, out uri);
    }
}
