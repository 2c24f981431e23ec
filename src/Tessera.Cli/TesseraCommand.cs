using System.CommandLine;
using Tessera.Cli.Agents;
using Tessera.Cli.Audit;
using Tessera.Cli.Bundles;
using Tessera.Cli.Dev;
using Tessera.Cli.Entries;
using Tessera.Cli.Helper;
using Tessera.Cli.Ids;
using Tessera.Cli.Jwt;
using Tessera.Cli.Proxy;
using Tessera.Cli.Revocations;
using Tessera.Cli.Server;
using Tessera.Cli.X509;

namespace Tessera.Cli;

/// <summary>Builds the root <c>tessera</c> command; each verb group adds itself here.</summary>
internal static class TesseraCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Tessera: attested, short-lived, bound and revocable identities for workloads (SPIFFE-compatible).");
        root.Subcommands.Add(ServerCommand.Create());
        root.Subcommands.Add(EntryCommand.Create());
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(AgentCommand.Create());
        root.Subcommands.Add(RevokeCommand.Create());
        root.Subcommands.Add(BundleCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(IdCommand.Create());
        root.Subcommands.Add(X509Command.Create());
        root.Subcommands.Add(JwtCommand.Create());
        root.Subcommands.Add(DevCommand.Create());
        root.Subcommands.Add(Policy.PolicyCommand.Create());
        root.Subcommands.Add(HelperCommand.Create());
        root.Subcommands.Add(ProxyCommand.Create());
        root.Subcommands.Add(Drill.DrillCommand.Create());
        return root;
    }
}
