namespace Tessera.Policy.Parsing;

/// <summary>A token with its source text (for strings, the raw body between the quotes) and 1-based position.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, int Column)
{
    public string Describe() => Kind switch
    {
        TokenKind.EndOfInput => "end of input",
        TokenKind.String => $"string \"{Text}\"",
        TokenKind.Slot => $"`?{Text}`",
        _ => $"`{Text}`",
    };
}
