using System.CommandLine;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Proxy;

/// <summary>
/// <c>tessera proxy outbound --listen IP:PORT --upstream HOST:PORT (--expect ID | --expect-trust-domain TD)…</c>:
/// gives a plain local client an mTLS connection to an upstream whose SPIFFE ID is checked.
/// </summary>
internal static class ProxyOutboundCommand
{
    public static Command Create()
    {
        var options = new ProxyOptions();
        var upstream = new Option<string>("--upstream") { Description = "the mTLS upstream, e.g. 10.0.0.5:8443 (usually an inbound proxy)", Required = true };
        var expect = new Option<string[]>("--expect") { Description = "the SPIFFE ID the upstream must present (repeatable: any of them)" };
        var expectDomain = new Option<string[]>("--expect-trust-domain") { Description = "accept any upstream from this trust domain (repeatable)" };
        var command = new Command("outbound", "Accept plain TCP locally, connect to the upstream with mTLS and this workload's SVID, verify the upstream's SPIFFE ID.")
        {
            upstream, expect, expectDomain,
        };
        options.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var settings = options.Resolve(result, "outbound", "--upstream", result.GetValue(upstream),
                problems => ProxyOptions.Authorizer("--expect", result.GetValue(expect), "--expect-trust-domain", result.GetValue(expectDomain), problems));
            if (settings is null)
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            var connection = new OutboundConnection(settings, TimeProvider.System);
            return new ProxyRunner(settings, TimeProvider.System).RunAsync(connection.HandleAsync, cancellationToken);
        });
        return command;
    }
}
