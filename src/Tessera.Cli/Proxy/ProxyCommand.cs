using System.CommandLine;

namespace Tessera.Cli.Proxy;

/// <summary><c>tessera proxy</c>: an mTLS sidecar for programs that speak plain TCP.</summary>
internal static class ProxyCommand
{
    public static Command Create() => new("proxy", "mTLS sidecar: put SPIFFE mutual TLS in front of (inbound) or behind (outbound) a plain TCP program.")
    {
        ProxyInboundCommand.Create(),
        ProxyOutboundCommand.Create(),
    };
}
