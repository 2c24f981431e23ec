namespace Tessera.Policy.Evaluation;

/// <summary>
/// An evaluation error (type error, overflow, missing attribute or entity, bad extension argument). It
/// never leaves the library: the authorizer catches it per policy and reports the policy as erroring,
/// which is how the reference semantics treat errors.
/// </summary>
internal sealed class EvaluationException : Exception
{
    public EvaluationException(string message)
        : base(message)
    {
    }

    public EvaluationException()
    {
    }

    public EvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static EvaluationException TypeError(string expected, Values.Value actual) =>
        new($"type error: expected {expected}, got {actual.TypeName}");
}
