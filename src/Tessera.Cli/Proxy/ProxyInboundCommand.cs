using System.CommandLine;

namespace Tessera.Cli.Proxy;

/// <summary>
/// <c>tessera proxy inbound --listen IP:PORT --forward HOST:PORT (--allow ID | --allow-trust-domain TD)…</c>:
/// terminates mTLS in front of a plain local service and lets in only the allowed SPIFFE IDs.
/// </summary>
internal static class ProxyInboundCommand
{
    public static Command Create()
    {
        var forward = new Option<string>("--forward") { Description = "the plain local service, e.g. 127.0.0.1:8080", Required = true };
        var allow = new Option<string[]>("--allow") { Description = "a SPIFFE ID allowed to connect (repeatable)", AllowMultipleArgumentsPerToken = false };
        var allowDomain = new Option<string[]>("--allow-trust-domain") { Description = "let in any member of this trust domain (repeatable)" };
        return ProxyDirectionCommand.Create(
            "inbound",
            "Accept mTLS with this workload's SVID, authorize the client's SPIFFE ID, forward the stream to a plain local port.",
            forward,
            allow,
            allowDomain,
            settings => new InboundConnection(settings, TimeProvider.System).HandleAsync);
    }
}
