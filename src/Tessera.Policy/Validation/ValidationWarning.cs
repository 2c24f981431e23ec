namespace Tessera.Policy.Validation;

/// <summary>A finding that does not make a policy invalid, such as a policy that can never apply.</summary>
/// <param name="PolicyId">The id of the policy.</param>
/// <param name="Message">What was found.</param>
public sealed record ValidationWarning(string PolicyId, string Message)
{
    /// <summary>The message for a policy whose scope matches no request the schema allows.</summary>
    public const string NoApplicableAction = "unable to find an applicable action given the policy scope constraints";

    /// <summary>The message for a policy whose condition is false in every request the schema allows.</summary>
    public const string ImpossiblePolicy = "policy is impossible: the policy expression evaluates to false for all valid requests";

    /// <summary>Returns <c>policyId: message</c>.</summary>
    public override string ToString() => $"{PolicyId}: {Message}";
}
