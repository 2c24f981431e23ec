using System.CommandLine;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Proxy;

/// <summary>
/// <c>tessera proxy inbound --listen IP:PORT --forward HOST:PORT (--allow ID | --allow-trust-domain TD)…</c>:
/// terminates mTLS in front of a plain local service and lets in only the allowed SPIFFE IDs.
/// </summary>
internal static class ProxyInboundCommand
{
    public static Command Create()
    {
        var options = new ProxyOptions();
        var forward = new Option<string>("--forward") { Description = "the plain local service, e.g. 127.0.0.1:8080", Required = true };
        var allow = new Option<string[]>("--allow") { Description = "a SPIFFE ID allowed to connect (repeatable)", AllowMultipleArgumentsPerToken = false };
        var allowDomain = new Option<string[]>("--allow-trust-domain") { Description = "let in any member of this trust domain (repeatable)" };
        var command = new Command("inbound", "Accept mTLS with this workload's SVID, authorize the client's SPIFFE ID, forward the stream to a plain local port.")
        {
            forward, allow, allowDomain,
        };
        options.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var settings = options.Resolve(result, "inbound", "--forward", result.GetValue(forward),
                problems => ProxyOptions.Authorizer("--allow", result.GetValue(allow), "--allow-trust-domain", result.GetValue(allowDomain), problems));
            if (settings is null)
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            var connection = new InboundConnection(settings, TimeProvider.System);
            return new ProxyRunner(settings, TimeProvider.System).RunAsync(connection.HandleAsync, cancellationToken);
        });
        return command;
    }
}
