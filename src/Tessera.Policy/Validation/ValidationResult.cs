namespace Tessera.Policy.Validation;

/// <summary>The outcome of validating a policy set against a schema: every error and warning found, in policy order.</summary>
public sealed class ValidationResult
{
    internal ValidationResult(IReadOnlyList<ValidationError> errors, IReadOnlyList<ValidationWarning> warnings)
    {
        Errors = errors;
        Warnings = warnings;
    }

    /// <summary>The errors, grouped by policy in policy-set order; empty when the policies validate.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    /// <summary>
    /// Findings that do not fail validation: policies that can never apply. (Before Cedar 4.11, cedar#2545,
    /// the reference reported a scope that matches no request as an error; it is a warning now.)
    /// </summary>
    public IReadOnlyList<ValidationWarning> Warnings { get; }

    /// <summary>True when no error was found.</summary>
    public bool IsValid => Errors.Count == 0;
}
