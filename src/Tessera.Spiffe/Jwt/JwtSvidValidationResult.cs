using System.Diagnostics.CodeAnalysis;

namespace Tessera.Spiffe.Jwt;

/// <summary>The outcome of validating a JWT-SVID: the SVID when valid, otherwise the error and a message.</summary>
public sealed class JwtSvidValidationResult
{
    private JwtSvidValidationResult(JwtSvid? svid, JwtSvidError error, string? message)
    {
        Svid = svid;
        Error = error;
        Message = message;
    }

    /// <summary>Gets whether the token was accepted; then <see cref="Svid"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Svid))]
    [MemberNotNullWhen(false, nameof(Message))]
    public bool IsValid => Error == JwtSvidError.None;

    /// <summary>Gets the validated SVID, or null when the token was rejected.</summary>
    public JwtSvid? Svid { get; }

    /// <summary>Gets why the token was rejected; <see cref="JwtSvidError.None"/> when it was accepted.</summary>
    public JwtSvidError Error { get; }

    /// <summary>
    /// Gets a message saying which rule the token broke, or null when it was accepted. Values taken from the
    /// token are shortened and stripped of control characters, but the message is meant for logs, not peers.
    /// </summary>
    public string? Message { get; }

    /// <summary>Creates a successful result.</summary>
    internal static JwtSvidValidationResult Success(JwtSvid svid) => new(svid, JwtSvidError.None, null);

    /// <summary>Creates a failed result.</summary>
    internal static JwtSvidValidationResult Failure(JwtSvidError error, string message) => new(null, error, message);

    /// <summary>Returns "valid: ..." or the error and message.</summary>
    public override string ToString() => IsValid ? $"valid: {Svid}" : $"{Error}: {Message}";
}
