using Tessera.Policy.Authorization;

namespace Tessera.Cli.Policy;

/// <summary>
/// One case of a <c>tessera policy test</c> file: a request and the decision it must get, and optionally the
/// exact set of determining policies.
/// </summary>
internal sealed record PolicyTestCase(string Name, AuthorizationRequest Request, Decision Decision, IReadOnlySet<string>? Reasons);
