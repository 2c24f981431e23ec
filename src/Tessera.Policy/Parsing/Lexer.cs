namespace Tessera.Policy.Parsing;

/// <summary>
/// Splits Cedar source into tokens. Line and column are 1-based and count UTF-16 code units. Comments
/// (<c>// …</c> to end of line) and whitespace are skipped.
/// </summary>
internal sealed class Lexer(string source)
{
    private readonly string _source = source;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (true)
        {
            var token = Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.EndOfInput)
            {
                return tokens;
            }
        }
    }

    private Token Next()
    {
        SkipTrivia();
        var line = _line;
        var column = _position - _lineStart + 1;
        if (_position >= _source.Length)
        {
            return new Token(TokenKind.EndOfInput, string.Empty, line, column);
        }

        var c = _source[_position];
        if (char.IsAsciiLetter(c) || c == '_')
        {
            return new Token(TokenKind.Identifier, ReadIdentifier(), line, column);
        }

        if (char.IsAsciiDigit(c))
        {
            var start = _position;
            while (_position < _source.Length && char.IsAsciiDigit(_source[_position]))
            {
                _position++;
            }

            return new Token(TokenKind.Integer, _source[start.._position], line, column);
        }

        if (c == '"')
        {
            return new Token(TokenKind.String, ReadString(line, column), line, column);
        }

        if (c == '?')
        {
            _position++;
            if (_position < _source.Length && (char.IsAsciiLetter(_source[_position]) || _source[_position] == '_'))
            {
                return new Token(TokenKind.Slot, ReadIdentifier(), line, column);
            }

            // A bare `?` marks an optional attribute in the schema syntax; the policy parser rejects it.
            return new Token(TokenKind.Question, "?", line, column);
        }

        var two = _position + 1 < _source.Length ? _source.Substring(_position, 2) : string.Empty;
        var kind2 = two switch
        {
            "::" => TokenKind.DoubleColon,
            "==" => TokenKind.Equal,
            "!=" => TokenKind.NotEqual,
            "<=" => TokenKind.LessOrEqual,
            ">=" => TokenKind.GreaterOrEqual,
            "&&" => TokenKind.And,
            "||" => TokenKind.Or,
            _ => TokenKind.EndOfInput,
        };
        if (kind2 != TokenKind.EndOfInput)
        {
            _position += 2;
            return new Token(kind2, two, line, column);
        }

        var kind = c switch
        {
            '(' => TokenKind.LeftParen,
            ')' => TokenKind.RightParen,
            '{' => TokenKind.LeftBrace,
            '}' => TokenKind.RightBrace,
            '[' => TokenKind.LeftBracket,
            ']' => TokenKind.RightBracket,
            ',' => TokenKind.Comma,
            ';' => TokenKind.Semicolon,
            ':' => TokenKind.Colon,
            '.' => TokenKind.Dot,
            '@' => TokenKind.At,
            '!' => TokenKind.Bang,
            '-' => TokenKind.Minus,
            '+' => TokenKind.Plus,
            '*' => TokenKind.Star,
            '<' => TokenKind.Less,
            '>' => TokenKind.Greater,
            '=' => TokenKind.Assign,
            _ => TokenKind.EndOfInput,
        };
        if (kind == TokenKind.EndOfInput)
        {
            throw new PolicyParseException($"unexpected character {Describe(c)}", line, column);
        }

        _position++;
        return new Token(kind, c.ToString(), line, column);
    }

    private string ReadIdentifier()
    {
        var start = _position;
        while (_position < _source.Length && (char.IsAsciiLetterOrDigit(_source[_position]) || _source[_position] == '_'))
        {
            _position++;
        }

        return _source[start.._position];
    }

    // Returns the raw body; escapes are interpreted by the parser because `like` patterns treat `\*` specially.
    private string ReadString(int line, int column)
    {
        var start = ++_position;
        while (_position < _source.Length)
        {
            var c = _source[_position];
            if (c == '"')
            {
                return _source[start.._position++];
            }

            if (c == '\\')
            {
                _position++;
            }
            else if (c == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }

            _position++;
        }

        throw new PolicyParseException("unterminated string literal", line, column);
    }

    private void SkipTrivia()
    {
        while (_position < _source.Length)
        {
            var c = _source[_position];
            if (c == '\n')
            {
                _line++;
                _lineStart = ++_position;
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '/' && _position + 1 < _source.Length && _source[_position + 1] == '/')
            {
                while (_position < _source.Length && _source[_position] != '\n')
                {
                    _position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private static string Describe(char c) => c is >= ' ' and <= '~' ? $"`{c}`" : $"U+{(int)c:X4}";
}
