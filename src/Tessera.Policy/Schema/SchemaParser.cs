using Tessera.Policy.Entities;
using Tessera.Policy.Parsing;

namespace Tessera.Policy.Schema;

/// <summary>
/// Recursive-descent parser for the Cedar schema syntax: namespaces, <c>entity</c> (with <c>in</c>,
/// attribute records, <c>tags</c> and <c>enum</c>), <c>action</c> (with <c>in</c> and <c>appliesTo</c>)
/// and <c>type</c> declarations. Annotations are accepted and ignored. It reuses the policy lexer.
/// </summary>
internal sealed class SchemaParser(string source)
{
    private const int MaxDepth = 64;

    private readonly List<Token> _tokens = new Lexer(source).Tokenize();
    private readonly Dictionary<string, SchemaType> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemaType> _commonTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<EntityUid, ActionDefinition> _actions = [];
    private int _index;
    private int _depth;
    private string _namespace = string.Empty;

    private Token Current => _tokens[_index];

    public CedarSchema Parse()
    {
        while (Current.Kind != TokenKind.EndOfInput)
        {
            SkipAnnotations();
            if (IsKeyword("namespace"))
            {
                _index++;
                _namespace = ParsePath();
                Expect(TokenKind.LeftBrace, "`{`");
                while (Current.Kind != TokenKind.RightBrace)
                {
                    ParseDeclaration();
                }

                _index++;
                _namespace = string.Empty;
            }
            else
            {
                ParseDeclaration();
            }
        }

        return new CedarSchema(_entities, _commonTypes, _actions);
    }

    private void ParseDeclaration()
    {
        SkipAnnotations();
        if (IsKeyword("entity"))
        {
            _index++;
            ParseEntity();
        }
        else if (IsKeyword("action"))
        {
            _index++;
            ParseAction();
        }
        else if (IsKeyword("type"))
        {
            _index++;
            var name = Expect(TokenKind.Identifier, "a type name").Text;
            Expect(TokenKind.Assign, "`=`");
            _commonTypes[Qualify(name)] = ParseType();
            Expect(TokenKind.Semicolon, "`;`");
        }
        else
        {
            throw Unexpected("`entity`, `action`, `type` or `namespace`");
        }
    }

    private void ParseEntity()
    {
        var names = new List<string> { Expect(TokenKind.Identifier, "an entity type name").Text };
        while (Current.Kind == TokenKind.Comma)
        {
            _index++;
            names.Add(Expect(TokenKind.Identifier, "an entity type name").Text);
        }

        SchemaType attributes = new RecordType(new Dictionary<string, SchemaType>(StringComparer.Ordinal));
        if (IsKeyword("enum"))
        {
            _index++;
            SkipBracketed();
        }
        else
        {
            if (IsKeyword("in"))
            {
                _index++;
                SkipTypeList();
            }

            if (Current.Kind == TokenKind.Assign)
            {
                _index++;
            }

            if (Current.Kind == TokenKind.LeftBrace)
            {
                attributes = ParseRecordType();
            }

            if (IsKeyword("tags"))
            {
                _index++;
                ParseType();
            }
        }

        Expect(TokenKind.Semicolon, "`;`");
        foreach (var name in names)
        {
            _entities[Qualify(name)] = attributes;
        }
    }

    private void ParseAction()
    {
        var names = new List<string> { ParseName() };
        while (Current.Kind == TokenKind.Comma)
        {
            _index++;
            names.Add(ParseName());
        }

        var parents = new List<EntityUid>();
        if (IsKeyword("in"))
        {
            _index++;
            if (Current.Kind == TokenKind.LeftBracket)
            {
                _index++;
                while (Current.Kind != TokenKind.RightBracket)
                {
                    parents.Add(ParseActionRef());
                    if (Current.Kind == TokenKind.Comma)
                    {
                        _index++;
                    }
                }

                _index++;
            }
            else
            {
                parents.Add(ParseActionRef());
            }
        }

        SchemaType? context = null;
        if (IsKeyword("appliesTo"))
        {
            _index++;
            Expect(TokenKind.LeftBrace, "`{`");
            while (Current.Kind != TokenKind.RightBrace)
            {
                var key = Expect(TokenKind.Identifier, "`principal`, `resource` or `context`").Text;
                Expect(TokenKind.Colon, "`:`");
                if (key == "context")
                {
                    context = ParseType();
                }
                else
                {
                    SkipTypeList();
                }

                if (Current.Kind is TokenKind.Comma or TokenKind.Semicolon)
                {
                    _index++;
                }
            }

            _index++;
        }

        Expect(TokenKind.Semicolon, "`;`");
        foreach (var name in names)
        {
            var uid = new EntityUid(Qualify("Action"), name);
            _actions[uid] = new ActionDefinition(uid, parents, context);
        }
    }

    // `"name"`, `name`, `Action::"name"` or `NS::Action::"name"`.
    private EntityUid ParseActionRef()
    {
        if (Current.Kind == TokenKind.String)
        {
            return new EntityUid(Qualify("Action"), ParseName());
        }

        var parts = new List<string> { Expect(TokenKind.Identifier, "an action name").Text };
        while (Current.Kind == TokenKind.DoubleColon)
        {
            _index++;
            if (Current.Kind == TokenKind.String)
            {
                return new EntityUid(string.Join("::", parts), ParseName());
            }

            parts.Add(Expect(TokenKind.Identifier, "an identifier or a string").Text);
        }

        return new EntityUid(Qualify("Action"), string.Join("::", parts));
    }

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
            if (name == "Set" && Current.Kind == TokenKind.Less)
            {
                _index++;
                type = new SetType(ParseType());
                Expect(TokenKind.Greater, "`>`");
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
        Expect(TokenKind.LeftBrace, "`{`");
        var attributes = new Dictionary<string, SchemaType>(StringComparer.Ordinal);
        while (Current.Kind != TokenKind.RightBrace)
        {
            SkipAnnotations();
            var name = ParseName();
            if (Current.Kind == TokenKind.Question)
            {
                _index++;
            }

            Expect(TokenKind.Colon, "`:`");
            attributes[name] = ParseType();
            if (Current.Kind != TokenKind.Comma)
            {
                break;
            }

            _index++;
        }

        Expect(TokenKind.RightBrace, "`}`");
        return new RecordType(attributes);
    }

    private void SkipTypeList()
    {
        if (Current.Kind == TokenKind.LeftBracket)
        {
            SkipBracketed();
        }
        else
        {
            ParsePath();
        }
    }

    private void SkipBracketed()
    {
        Expect(TokenKind.LeftBracket, "`[`");
        while (Current.Kind is not (TokenKind.RightBracket or TokenKind.EndOfInput))
        {
            _index++;
        }

        Expect(TokenKind.RightBracket, "`]`");
    }

    private void SkipAnnotations()
    {
        while (Current.Kind == TokenKind.At)
        {
            _index++;
            Expect(TokenKind.Identifier, "an annotation name");
            if (Current.Kind == TokenKind.LeftParen)
            {
                _index++;
                Expect(TokenKind.String, "a string");
                Expect(TokenKind.RightParen, "`)`");
            }
        }
    }

    private string ParseName() => Current.Kind == TokenKind.String
        ? StringEscapes.Unescape(_tokens[_index++])
        : Expect(TokenKind.Identifier, "a name").Text;

    private string ParsePath()
    {
        var parts = new List<string> { Expect(TokenKind.Identifier, "a name").Text };
        while (Current.Kind == TokenKind.DoubleColon)
        {
            _index++;
            parts.Add(Expect(TokenKind.Identifier, "a name").Text);
        }

        return string.Join("::", parts);
    }

    private string Qualify(string name) => _namespace.Length == 0 ? name : $"{_namespace}::{name}";

    private bool IsKeyword(string keyword) => Current.Kind == TokenKind.Identifier && Current.Text == keyword;

    private Token Expect(TokenKind kind, string what)
    {
        var token = Current;
        if (token.Kind != kind)
        {
            throw Unexpected(what);
        }

        _index++;
        return token;
    }

    private PolicyParseException Unexpected(string expected) =>
        new($"unexpected {Current.Describe()}, expected {expected}", Current.Line, Current.Column);
}
