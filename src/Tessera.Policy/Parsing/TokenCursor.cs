namespace Tessera.Policy.Parsing;

/// <summary>
/// A position in a token list with the helpers both recursive-descent parsers (policies and schemas) share:
/// look at the current token, step over it, demand a kind or keyword, and build the "unexpected …, expected …"
/// error with the token's line and column.
/// </summary>
internal sealed class TokenCursor(List<Token> tokens)
{
    private int _index;

    public Token Current => tokens[_index];

    /// <summary>The token after the current one (the end-of-input token repeats at the end).</summary>
    public Token Next => tokens[Math.Min(_index + 1, tokens.Count - 1)];

    public void Advance() => _index++;

    /// <summary>Consumes and returns the current token, which must be of <paramref name="kind"/>.</summary>
    public Token Expect(TokenKind kind, string what)
    {
        var token = Current;
        if (token.Kind != kind)
        {
            throw Unexpected(what);
        }

        _index++;
        return token;
    }

    public bool IsKeyword(string keyword) => Current.Kind == TokenKind.Identifier && Current.Text == keyword;

    /// <summary>Consumes the current token when it is the identifier <paramref name="keyword"/>.</summary>
    public bool TryKeyword(string keyword)
    {
        if (!IsKeyword(keyword))
        {
            return false;
        }

        _index++;
        return true;
    }

    /// <summary>Consumes the current token when it is of <paramref name="kind"/>.</summary>
    public bool TryKind(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        _index++;
        return true;
    }

    public void ExpectKeyword(string keyword)
    {
        if (!TryKeyword(keyword))
        {
            throw Unexpected($"`{keyword}`");
        }
    }

    public PolicyParseException Unexpected(string expected) =>
        new($"unexpected {Current.Describe()}, expected {expected}", Current.Line, Current.Column);
}
