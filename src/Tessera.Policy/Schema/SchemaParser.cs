using Tessera.Policy.Parsing;

namespace Tessera.Policy.Schema;

/// <summary>
/// Recursive-descent parser for the Cedar schema syntax: namespaces, <c>entity</c> (with <c>in</c>,
/// attribute records, <c>tags</c> and <c>enum</c>), <c>action</c> (with <c>in</c> and <c>appliesTo</c>)
/// and <c>type</c> declarations. Annotations are accepted and ignored. It reuses the policy lexer and
/// token cursor; names are resolved by <see cref="SchemaBuilder"/>, shared with the JSON format.
/// </summary>
internal sealed class SchemaParser(string source)
{
    private const int MaxDepth = 64;

    private readonly TokenCursor _cursor = new(new Lexer(source).Tokenize());
    private readonly SchemaBuilder _builder = new();
    private int _depth;
    private string _namespace = string.Empty;

    private Token Current => _cursor.Current;

    public CedarSchema Parse()
    {
        while (Current.Kind != TokenKind.EndOfInput)
        {
            SkipAnnotations();
            if (_cursor.TryKeyword("namespace"))
            {
                _namespace = ParsePath();
                _cursor.Expect(TokenKind.LeftBrace, "`{`");
                while (!_cursor.TryKind(TokenKind.RightBrace))
                {
                    ParseDeclaration();
                }

                _namespace = string.Empty;
            }
            else
            {
                ParseDeclaration();
            }
        }

        return _builder.Build();
    }

    private void ParseDeclaration()
    {
        SkipAnnotations();
        if (_cursor.TryKeyword("entity"))
        {
            ParseEntity();
        }
        else if (_cursor.TryKeyword("action"))
        {
            ParseAction();
        }
        else if (_cursor.TryKeyword("type"))
        {
            var name = _cursor.Expect(TokenKind.Identifier, "a type name").Text;
            _cursor.Expect(TokenKind.Assign, "`=`");
            _builder.AddCommonType(_namespace, name, ParseType());
            _cursor.Expect(TokenKind.Semicolon, "`;`");
        }
        else
        {
            throw _cursor.Unexpected("`entity`, `action`, `type` or `namespace`");
        }
    }

    private void ParseEntity()
    {
        var names = ParseList(() => _cursor.Expect(TokenKind.Identifier, "an entity type name").Text);
        IReadOnlyList<string> memberOf = [];
        SchemaType? shape = null;
        SchemaType? tags = null;
        List<string>? enumIds = null;
        if (_cursor.TryKeyword("enum"))
        {
            _cursor.Expect(TokenKind.LeftBracket, "`[`");
            enumIds = ParseCommaSeparated(TokenKind.RightBracket, () => StringEscapes.Unescape(_cursor.Expect(TokenKind.String, "a string")));
        }
        else
        {
            if (_cursor.TryKeyword("in"))
            {
                memberOf = ParseTypeList();
            }

            _cursor.TryKind(TokenKind.Assign);
            if (Current.Kind == TokenKind.LeftBrace)
            {
                shape = ParseRecordType();
            }

            if (_cursor.TryKeyword("tags"))
            {
                tags = ParseType();
            }
        }

        _cursor.Expect(TokenKind.Semicolon, "`;`");
        foreach (var name in names)
        {
            _builder.AddEntity(new RawEntity(_namespace, name, memberOf, shape, tags, enumIds));
        }
    }

    private void ParseAction()
    {
        var names = ParseList(ParseName);
        IReadOnlyList<RawActionRef> parents = [];
        if (_cursor.TryKeyword("in"))
        {
            parents = _cursor.TryKind(TokenKind.LeftBracket)
                ? ParseCommaSeparated(TokenKind.RightBracket, ParseActionRef)
                : [ParseActionRef()];
        }

        IReadOnlyList<string>? principals = null, resources = null;
        SchemaType? context = null;
        if (_cursor.TryKeyword("appliesTo"))
        {
            principals = [];
            resources = [];
            _cursor.Expect(TokenKind.LeftBrace, "`{`");
            while (!_cursor.TryKind(TokenKind.RightBrace))
            {
                var key = _cursor.Expect(TokenKind.Identifier, "`principal`, `resource` or `context`");
                _cursor.Expect(TokenKind.Colon, "`:`");
                switch (key.Text)
                {
                    case "principal": principals = ParseTypeList(); break;
                    case "resource": resources = ParseTypeList(); break;
                    case "context": context = ParseType(); break;
                    default: throw new PolicyParseException($"unexpected `{key.Text}`, expected `principal`, `resource` or `context`", key.Line, key.Column);
                }

                if (!_cursor.TryKind(TokenKind.Comma) && !_cursor.TryKind(TokenKind.Semicolon) && Current.Kind != TokenKind.RightBrace)
                {
                    throw _cursor.Unexpected("`,` or `}`");
                }
            }
        }

        _cursor.Expect(TokenKind.Semicolon, "`;`");
        foreach (var name in names)
        {
            _builder.AddAction(new RawAction(_namespace, name, parents, principals, resources, context));
        }
    }

    // `"name"`, `name`, `Action::"name"` or `NS::Action::"name"`.
    private RawActionRef ParseActionRef()
    {
        if (Current.Kind == TokenKind.String)
        {
            return new RawActionRef(null, ParseName());
        }

        var parts = new List<string> { _cursor.Expect(TokenKind.Identifier, "an action name").Text };
        while (_cursor.TryKind(TokenKind.DoubleColon))
        {
            if (Current.Kind == TokenKind.String)
            {
                return new RawActionRef(string.Join("::", parts), ParseName());
            }

            parts.Add(_cursor.Expect(TokenKind.Identifier, "an identifier or a string").Text);
        }

        return new RawActionRef(null, string.Join("::", parts));
    }

    private List<string> ParseTypeList() =>
        _cursor.TryKind(TokenKind.LeftBracket) ? ParseCommaSeparated(TokenKind.RightBracket, ParsePath) : [ParsePath()];

    private SchemaType ParseType()
    {
        if (++_depth > MaxDepth)
        {
            throw new PolicyParseException($"schema type is nested too deeply (the limit is {MaxDepth} levels)", Current.Line, Current.Column);
        }

        SchemaType type;
        if (Current.Kind == TokenKind.LeftBrace)
        {
            type = ParseRecordType();
        }
        else
        {
            var name = ParsePath();
            if (name == "Set" && _cursor.TryKind(TokenKind.Less))
            {
                type = new SetType(ParseType());
                _cursor.Expect(TokenKind.Greater, "`>`");
            }
            else
            {
                type = new NamedType(name, _namespace);
            }
        }

        _depth--;
        return type;
    }

    private RecordType ParseRecordType()
    {
        _cursor.Expect(TokenKind.LeftBrace, "`{`");
        var attributes = new Dictionary<string, AttributeType>(StringComparer.Ordinal);
        while (Current.Kind != TokenKind.RightBrace)
        {
            SkipAnnotations();
            var nameToken = Current;
            var name = ParseName();
            var required = !_cursor.TryKind(TokenKind.Question);
            _cursor.Expect(TokenKind.Colon, "`:`");
            if (!attributes.TryAdd(name, new AttributeType(ParseType(), required)))
            {
                throw new PolicyParseException($"duplicate attribute `{name}`", nameToken.Line, nameToken.Column);
            }

            if (!_cursor.TryKind(TokenKind.Comma))
            {
                break;
            }
        }

        _cursor.Expect(TokenKind.RightBrace, "`}`");
        return new RecordType(attributes);
    }

    private List<T> ParseList<T>(Func<T> item)
    {
        var items = new List<T> { item() };
        while (_cursor.TryKind(TokenKind.Comma))
        {
            items.Add(item());
        }

        return items;
    }

    // Items up to the closing token, which is consumed; a trailing comma is allowed.
    private List<T> ParseCommaSeparated<T>(TokenKind close, Func<T> item)
    {
        var items = new List<T>();
        while (!_cursor.TryKind(close))
        {
            items.Add(item());
            if (!_cursor.TryKind(TokenKind.Comma) && Current.Kind != close)
            {
                throw _cursor.Unexpected(close == TokenKind.RightBracket ? "`,` or `]`" : "`,`");
            }
        }

        return items;
    }

    private void SkipAnnotations()
    {
        while (_cursor.TryKind(TokenKind.At))
        {
            _cursor.Expect(TokenKind.Identifier, "an annotation name");
            if (_cursor.TryKind(TokenKind.LeftParen))
            {
                _cursor.Expect(TokenKind.String, "a string");
                _cursor.Expect(TokenKind.RightParen, "`)`");
            }
        }
    }

    private string ParseName() => Current.Kind == TokenKind.String
        ? StringEscapes.Unescape(_cursor.Expect(TokenKind.String, "a string"))
        : _cursor.Expect(TokenKind.Identifier, "a name").Text;

    private string ParsePath()
    {
        var parts = new List<string> { _cursor.Expect(TokenKind.Identifier, "a name").Text };
        while (_cursor.TryKind(TokenKind.DoubleColon))
        {
            parts.Add(_cursor.Expect(TokenKind.Identifier, "a name").Text);
        }

        return string.Join("::", parts);
    }
}
