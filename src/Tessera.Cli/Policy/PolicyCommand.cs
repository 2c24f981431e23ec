using System.CommandLine;

namespace Tessera.Cli.Policy;

/// <summary><c>tessera policy …</c>: Cedar policies — validate against a schema, decide a request, run a file of test cases, format.</summary>
internal static class PolicyCommand
{
    public static Command Create() => new("policy", "Work with Cedar policies: validate them against a schema, decide requests, run policy tests, format them.")
    {
        PolicyValidateCommand.Create(),
        PolicyAuthorizeCommand.Create(),
        PolicyTestCommand.Create(),
        PolicyFormatCommand.Create(),
    };
}
