using System.CommandLine;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Proxy;

/// <summary>
/// Builds one direction of <c>tessera proxy</c>: its target flag and its pair of peer flags (SPIFFE IDs, trust
/// domains), then the flags both directions share (<see cref="ProxyOptions"/>). The action validates them all
/// (exit 2 with every problem) and runs a <see cref="ProxyRunner"/> with the direction's connection handler.
/// </summary>
internal static class ProxyDirectionCommand
{
    public static Command Create(
        string name,
        string description,
        Option<string> target,
        Option<string[]> peerIds,
        Option<string[]> peerDomains,
        Func<ProxySettings, ProxyRunner.ConnectionHandler> handler)
    {
        var options = new ProxyOptions();
        var command = new Command(name, description) { target, peerIds, peerDomains };
        options.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var settings = options.Resolve(result, name, target.Name, result.GetValue(target),
                problems => ProxyOptions.Authorizer(peerIds.Name, result.GetValue(peerIds), peerDomains.Name, result.GetValue(peerDomains), problems));
            return settings is null
                ? Task.FromResult(ExitCodes.BadInput)
                : new ProxyRunner(settings, TimeProvider.System).RunAsync(handler(settings), cancellationToken);
        });
        return command;
    }
}
