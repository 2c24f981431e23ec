using System.CommandLine;

namespace Tessera.Cli.Proxy;

/// <summary>
/// <c>tessera proxy outbound --listen IP:PORT --upstream HOST:PORT (--expect ID | --expect-trust-domain TD)…</c>:
/// gives a plain local client an mTLS connection to an upstream whose SPIFFE ID is checked.
/// </summary>
internal static class ProxyOutboundCommand
{
    public static Command Create()
    {
        var upstream = new Option<string>("--upstream") { Description = "the mTLS upstream, e.g. 10.0.0.5:8443 (usually an inbound proxy)", Required = true };
        var expect = new Option<string[]>("--expect") { Description = "the SPIFFE ID the upstream must present (repeatable: any of them)" };
        var expectDomain = new Option<string[]>("--expect-trust-domain") { Description = "accept any upstream from this trust domain (repeatable)" };
        return ProxyDirectionCommand.Create(
            "outbound",
            "Accept plain TCP locally, connect to the upstream with mTLS and this workload's SVID, verify the upstream's SPIFFE ID.",
            upstream,
            expect,
            expectDomain,
            settings => new OutboundConnection(settings, TimeProvider.System).HandleAsync);
    }
}
