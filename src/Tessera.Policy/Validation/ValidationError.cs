namespace Tessera.Policy.Validation;

/// <summary>One problem the validator found in a policy.</summary>
/// <param name="PolicyId">The id of the policy, for example <c>policy0</c>.</param>
/// <param name="Message">What is wrong, for example <c>unrecognized entity type `Usr`</c>.</param>
public sealed record ValidationError(string PolicyId, string Message)
{
    /// <summary>Returns <c>policyId: message</c>.</summary>
    public override string ToString() => $"{PolicyId}: {Message}";
}
