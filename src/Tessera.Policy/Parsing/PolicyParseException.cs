namespace Tessera.Policy.Parsing;

/// <summary>
/// Thrown when Cedar policy text cannot be parsed. The message reads
/// <c>line L, column C: what was wrong</c>; <see cref="Line"/> and <see cref="Column"/> are 1-based.
/// </summary>
public sealed class PolicyParseException : FormatException
{
    /// <summary>Creates an error at a source position.</summary>
    /// <param name="detail">What was wrong, phrased for a policy author.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    public PolicyParseException(string detail, int line, int column)
        : base($"line {line}, column {column}: {detail}")
    {
        Detail = detail;
        Line = line;
        Column = column;
    }

    /// <summary>Creates an error without a position.</summary>
    public PolicyParseException()
        : this("invalid policy", 1, 1)
    {
    }

    /// <summary>Creates an error without a position.</summary>
    /// <param name="message">The message.</param>
    public PolicyParseException(string message)
        : this(message, 1, 1)
    {
    }

    /// <summary>Creates an error without a position.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PolicyParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Detail = message;
        Line = 1;
        Column = 1;
    }

    /// <summary>The error without its position.</summary>
    public string Detail { get; } = string.Empty;

    /// <summary>The 1-based line of the offending token.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the offending token.</summary>
    public int Column { get; }
}
