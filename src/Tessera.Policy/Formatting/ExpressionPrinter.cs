using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Tessera.Policy.Ast;
using Tessera.Policy.Internal;
using Tessera.Policy.Values;

namespace Tessera.Policy.Formatting;

/// <summary>
/// Prints an expression in Cedar syntax with the fewest parentheses the grammar needs. Precedence, lowest
/// first: <c>if</c>, <c>||</c>, <c>&amp;&amp;</c>, relations (<c>== != &lt; &lt;= &gt; &gt;= in has like is</c>, not
/// associative), <c>+ -</c>, <c>*</c>, unary <c>! -</c>, member access and primaries. A left-associative
/// operator's right operand needs one level more than the operator itself, so <c>a - (b - c)</c> keeps its
/// parentheses and <c>(a - b) - c</c> loses them.
/// </summary>
internal static class ExpressionPrinter
{
    private const int IfLevel = 0;
    private const int OrLevel = 1;
    private const int AndLevel = 2;
    private const int RelationLevel = 3;
    private const int AddLevel = 4;
    private const int MultiplyLevel = 5;
    private const int UnaryLevel = 6;
    private const int MemberLevel = 7;

    public static string Print(Expr expr)
    {
        var builder = new StringBuilder();
        Write(builder, expr, IfLevel);
        return builder.ToString();
    }

    /// <summary>The operands of a top-level <c>&amp;&amp;</c> or <c>||</c> chain, the operator ending every line but the last.</summary>
    public static List<string> PrintChain(Expr expr)
    {
        if (expr is not BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } top)
        {
            return [Print(expr)];
        }

        var op = top.Operator;
        var level = op == BinaryOperator.And ? AndLevel : OrLevel;
        var operands = new List<Expr>();
        var current = expr;
        while (current is BinaryExpr binary && binary.Operator == op)
        {
            operands.Add(binary.Right);
            current = binary.Left;
        }

        operands.Add(current);
        operands.Reverse();
        var lines = new List<string>();
        for (var i = 0; i < operands.Count; i++)
        {
            var builder = new StringBuilder();
            // The first operand is the chain's leftmost left operand; every other one is a right operand.
            Write(builder, operands[i], i == 0 ? level : level + 1);
            if (i < operands.Count - 1)
            {
                builder.Append(op == BinaryOperator.And ? " &&" : " ||");
            }

            lines.Add(builder.ToString());
        }

        return lines;
    }

    private static void Write(StringBuilder builder, Expr expr, int minimum)
    {
        // The parser bounds tree height, so this is a guard, not a limit anyone should reach.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (Level(expr) < minimum)
        {
            builder.Append('(');
            WriteBare(builder, expr);
            builder.Append(')');
        }
        else
        {
            WriteBare(builder, expr);
        }
    }

    private static int Level(Expr expr) => expr switch
    {
        IfExpr => IfLevel,
        BinaryExpr { Operator: BinaryOperator.Or } => OrLevel,
        BinaryExpr { Operator: BinaryOperator.And } => AndLevel,
        BinaryExpr { Operator: BinaryOperator.Add or BinaryOperator.Subtract } => AddLevel,
        BinaryExpr { Operator: BinaryOperator.Multiply } => MultiplyLevel,
        BinaryExpr or HasExpr or LikeExpr or IsExpr => RelationLevel,
        NotExpr or NegateExpr => UnaryLevel,

        // `-5` is one token pair the parser reads as a literal, but `!-5` mixes unary operators, which the
        // grammar refuses: a negative literal behaves as a unary expression except as a member-access target.
        LiteralExpr { Value: LongValue { Value: < 0 } } => UnaryLevel,
        _ => MemberLevel,
    };

    private static void WriteBare(StringBuilder builder, Expr expr)
    {
        switch (expr)
        {
            case LiteralExpr literal:
                builder.Append(Literal(literal.Value));
                break;
            case VariableExpr variable:
                builder.Append(variable.Variable.ToString().ToLowerInvariant());
                break;
            case SlotExpr slot:
                builder.Append('?').Append(slot.Name);
                break;
            case IfExpr ifExpr:
                builder.Append("if ");
                Write(builder, ifExpr.Condition, IfLevel);
                builder.Append(" then ");
                Write(builder, ifExpr.Then, IfLevel);
                builder.Append(" else ");
                Write(builder, ifExpr.Else, IfLevel);
                break;
            case BinaryExpr binary:
                WriteBinary(builder, binary);
                break;
            case NotExpr or NegateExpr:
                WriteUnary(builder, expr);
                break;
            case HasExpr has:
                Write(builder, has.Target, AddLevel);
                builder.Append(" has ").Append(Name(has.Attribute));
                break;
            case LikeExpr like:
                Write(builder, like.Target, AddLevel);
                builder.Append(" like ").Append(Pattern(like.Pattern));
                break;
            case IsExpr isExpr:
                Write(builder, isExpr.Target, AddLevel);
                builder.Append(" is ").Append(isExpr.EntityType);
                if (isExpr.In is { } parent)
                {
                    builder.Append(" in ");
                    Write(builder, parent, AddLevel);
                }

                break;
            case GetAttributeExpr get:
                WriteTarget(builder, get.Target);
                if (IsIdentifier(get.Attribute))
                {
                    builder.Append('.').Append(get.Attribute);
                }
                else
                {
                    builder.Append('[').Append(CedarStrings.Quote(get.Attribute)).Append(']');
                }

                break;
            case MethodCallExpr call:
                WriteTarget(builder, call.Target);
                builder.Append('.').Append(call.Name);
                WriteList(builder, "(", call.Arguments, ")");
                break;
            case FunctionCallExpr function:
                builder.Append(function.Name);
                WriteList(builder, "(", function.Arguments, ")");
                break;
            case SetExpr set:
                WriteList(builder, "[", set.Items, "]");
                break;
            case RecordExpr record:
                WriteRecord(builder, record);
                break;
            default:
                throw new InvalidOperationException($"cannot format {expr.GetType().Name}");
        }
    }

    private static void WriteBinary(StringBuilder builder, BinaryExpr binary)
    {
        var (symbol, level) = binary.Operator switch
        {
            BinaryOperator.Or => ("||", OrLevel),
            BinaryOperator.And => ("&&", AndLevel),
            BinaryOperator.Equal => ("==", RelationLevel),
            BinaryOperator.NotEqual => ("!=", RelationLevel),
            BinaryOperator.Less => ("<", RelationLevel),
            BinaryOperator.LessOrEqual => ("<=", RelationLevel),
            BinaryOperator.Greater => (">", RelationLevel),
            BinaryOperator.GreaterOrEqual => (">=", RelationLevel),
            BinaryOperator.In => ("in", RelationLevel),
            BinaryOperator.Add => ("+", AddLevel),
            BinaryOperator.Subtract => ("-", AddLevel),
            BinaryOperator.Multiply => ("*", MultiplyLevel),
            _ => throw new InvalidOperationException($"unknown operator {binary.Operator}"),
        };

        // Relations do not chain (`a == b == c` is a syntax error), so both operands sit one level up;
        // the other operators are left-associative, so only the right operand does.
        Write(builder, binary.Left, level == RelationLevel ? AddLevel : level);
        builder.Append(' ').Append(symbol).Append(' ');
        Write(builder, binary.Right, level + 1);
    }

    // Up to four identical unary operators may be written in a row (`!!x`, `--x`); mixed or longer runs
    // take parentheses. The operand of `-` must not start with a digit, or `-(5)` would print as `-5` and
    // re-parse as the literal minus five rather than the negation of five.
    private static void WriteUnary(StringBuilder builder, Expr expr)
    {
        var isNot = expr is NotExpr;
        var count = 0;
        var operand = expr;
        while (count < 4 && (isNot ? operand is NotExpr : operand is NegateExpr))
        {
            operand = operand is NotExpr not ? not.Operand : ((NegateExpr)operand).Operand;
            count++;
        }

        builder.Append(isNot ? '!' : '-', count);
        var inner = new StringBuilder();
        Write(inner, operand, MemberLevel);
        if (!isNot && inner.Length > 0 && char.IsAsciiDigit(inner[0]))
        {
            builder.Append('(').Append(inner).Append(')');
        }
        else
        {
            builder.Append(inner);
        }
    }

    // `-5.foo()` parses as a call on the literal minus five, so a negative literal needs no parentheses here.
    private static void WriteTarget(StringBuilder builder, Expr target)
    {
        if (target is LiteralExpr { Value: LongValue { Value: < 0 } })
        {
            WriteBare(builder, target);
        }
        else
        {
            Write(builder, target, MemberLevel);
        }
    }

    private static void WriteList(StringBuilder builder, string open, IReadOnlyList<Expr> items, string close)
    {
        builder.Append(open);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            Write(builder, items[i], IfLevel);
        }

        builder.Append(close);
    }

    private static void WriteRecord(StringBuilder builder, RecordExpr record)
    {
        if (record.Fields.Count == 0)
        {
            builder.Append("{}");
            return;
        }

        builder.Append("{ ");
        for (var i = 0; i < record.Fields.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            builder.Append(Name(record.Fields[i].Key)).Append(": ");
            Write(builder, record.Fields[i].Value, IfLevel);
        }

        builder.Append(" }");
    }

    private static string Literal(Value value) => value switch
    {
        BoolValue or StringValue or EntityValue => value.ToString()!,
        LongValue number => number.Value.ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"cannot format a literal of type {value.GetType().Name}"),
    };

    /// <summary>An attribute name or record key: bare when the grammar allows an identifier there, otherwise a string.</summary>
    private static string Name(string name) => IsIdentifier(name) ? name : CedarStrings.Quote(name);

    private static bool IsIdentifier(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !Parsing.Parser.Reserved.Contains(name);

    // Pattern characters are escaped as in strings, with a literal star written `\*` and a wildcard `*`.
    private static string Pattern(LikePattern pattern)
    {
        var builder = new StringBuilder("\"");
        foreach (var element in pattern.Elements)
        {
            if (element.IsWildcard)
            {
                builder.Append('*');
            }
            else if (element.Char == '*')
            {
                builder.Append("\\*");
            }
            else
            {
                builder.Append(CedarStrings.Quote(element.Char.ToString()).AsSpan()[1..^1]);
            }
        }

        return builder.Append('"').ToString();
    }
}
