namespace Tessera.Policy.Authorization;

/// <summary>The decision with the policies that determined it and the policies that erred.</summary>
public sealed record AuthorizationResponse
{
    /// <summary>Allow or deny.</summary>
    public required Decision Decision { get; init; }

    /// <summary>The determining policies: the satisfied forbids on deny, else the satisfied permits; empty on default deny.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>The policies skipped because evaluating them raised an error.</summary>
    public required IReadOnlyList<PolicyError> Errors { get; init; }

    /// <summary>
    /// What is wrong with the request when it was checked against a schema and failed; the decision is then
    /// deny and no policy was evaluated. Empty otherwise.
    /// </summary>
    public IReadOnlyList<string> RequestErrors { get; init; } = [];
}
