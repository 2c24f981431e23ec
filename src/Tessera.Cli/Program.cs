using System.CommandLine;
using Tessera.Cli;

// On SIGTERM/SIGINT the long-running verbs (server, agent, helper, proxy) stop their hosts gracefully: streams end,
// sockets are removed, the datastore is closed. System.CommandLine's default gives them only 2 s before the process
// ends anyway, which a loaded machine can exceed; the hosts' own shutdown timeouts (10 s) are the real bound.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) };
return await TesseraCommand.Create().Parse(args).InvokeAsync(invocation);
