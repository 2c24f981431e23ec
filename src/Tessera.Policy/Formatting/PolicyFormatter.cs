using System.Text;
using Tessera.Policy.Ast;

namespace Tessera.Policy.Formatting;

/// <summary>
/// Prints a policy set in canonical Cedar syntax: annotations one per line, the effect and a scope with one
/// constraint per line, then each <c>when</c>/<c>unless</c> clause; policies separated by a blank line. The
/// layout is a function of the syntax tree (and, for text, of which conditions hold comments), so formatting is
/// idempotent and re-parsing the output gives the same tree (the tests check both over the conformance corpus).
/// </summary>
/// <remarks>
/// <para>
/// Comments are not in the syntax tree, so <see cref="Format(PolicySet)"/> has none to print;
/// <see cref="Format(string)"/> keeps every <c>//</c> comment of the text, as the reference formatter
/// (<c>cedar format</c>) does. The text is formatted first; each comment is then put next to the formatted
/// counterpart of the token it was next to (tokens are paired by a diff, since the printer drops redundant
/// parentheses and the like):
/// </para>
/// <list type="bullet">
/// <item><description>A <c>when</c>/<c>unless</c> clause with a comment between its braces is printed as a long
/// one is, one operand of its top-level <c>&amp;&amp;</c> or <c>||</c> chain per line, so that the comment stays
/// inside the clause next to its operand. This is the only way comments change the layout.</description></item>
/// <item><description>A comment on a line of its own goes on a line of its own, with that line's indentation,
/// before the formatted line holding the token that followed it: comments before a policy or among its
/// annotations stay before the policy or that annotation, and a comment before a token in the middle of a line
/// (inside an operand, a set, a call) moves up before that line.</description></item>
/// <item><description>A comment after a token on the same line (<c>permit( // why</c>) stays at the end of the
/// formatted line holding that token: the effect, scope, annotation and <c>when</c>/<c>unless</c> lines keep
/// theirs. When several end on the same formatted line, the last stays there and the others go on lines of their
/// own before it, since a line can end in only one <c>//</c> comment.</description></item>
/// <item><description>A comment next to a token the printer drops (a redundant parenthesis, a trailing comma,
/// <c>("")</c> after an annotation) goes with the nearest token that remains: the one before it for an
/// end-of-line comment, the one after it otherwise.</description></item>
/// <item><description>Comments after the last policy stay at the end. Between policies and at the end, a blank
/// line between two comments, or between a comment and the policy it precedes, is kept; inside a policy blank
/// lines are dropped.</description></item>
/// </list>
/// <para>
/// Comments are never dropped, and their text is kept as written (trailing white space removed), so formatting
/// stays idempotent. <c>//</c> inside a string literal is part of the string. Policies linked from templates are
/// not Cedar text and are not printed: the templates are.
/// </para>
/// </remarks>
public static class PolicyFormatter
{
    /// <summary>Conditions longer than this are broken at their top-level <c>&amp;&amp;</c> or <c>||</c>.</summary>
    internal const int LineWidth = 80;

    private const string Indent = "  ";

    /// <summary>Returns the policies and templates of <paramref name="policies"/> as formatted Cedar text.</summary>
    /// <param name="policies">A parsed policy set.</param>
    /// <returns>The formatted text, ending with a line break; empty for an empty set.</returns>
    public static string Format(PolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return Format(policies, static (_, _) => false);
    }

    /// <summary>
    /// Formats Cedar policy text as <see cref="Format(PolicySet)"/> does for <see cref="PolicySet.Parse"/> of it,
    /// keeping its comments (see the remarks for where they go).
    /// </summary>
    /// <param name="text">Cedar policies.</param>
    /// <returns>The formatted text with every comment of <paramref name="text"/>.</returns>
    /// <exception cref="Parsing.PolicyParseException">The text is not valid Cedar.</exception>
    public static string Format(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var source = LexedText.Read(text);
        var commented = CommentedConditions.Find(source);
        var formatted = Format(PolicySet.Parse(text), (policy, clause) => commented.Contains((policy, clause)));
        return CommentWriter.Insert(source, formatted);
    }

    // `breakClause(policy, clause)` asks for a clause to be printed one chain operand per line even if it fits on one.
    private static string Format(PolicySet policies, Func<int, int, bool> breakClause)
    {
        var printed = policies.Policies.Where(p => p.TemplateId is null).Select((p, i) => FormatPolicy(p, clause => breakClause(i, clause)));
        var text = string.Join("\n\n", printed);
        return text.Length == 0 ? text : text + "\n";
    }

    private static string FormatPolicy(ParsedPolicy policy, Func<int, bool> breakClause)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in policy.Annotations)
        {
            // `@name` and `@name("")` mean the same; the tree cannot tell them apart.
            builder.Append('@').Append(name);
            if (value.Length > 0)
            {
                builder.Append('(').Append(Internal.CedarStrings.Quote(value)).Append(')');
            }

            builder.Append('\n');
        }

        builder.Append(policy.Effect == Effect.Permit ? "permit" : "forbid").Append(" (\n")
            .Append(Indent).Append(Scope("principal", policy.Principal)).Append(",\n")
            .Append(Indent).Append(Scope("action", policy.Action)).Append(",\n")
            .Append(Indent).Append(Scope("resource", policy.Resource)).Append("\n)");
        for (var i = 0; i < policy.Conditions.Count; i++)
        {
            builder.Append('\n').Append(FormatCondition(policy.Conditions[i], breakClause(i)));
        }

        return builder.Append(';').ToString();
    }

    private static string Scope(string variable, ScopeConstraint scope)
    {
        string Target() => scope.Slot is not null
            ? "?" + scope.Slot
            : scope.IsList
                ? "[" + string.Join(", ", scope.Entities) + "]"
                : scope.Entities[0].ToString();

        return scope.Kind switch
        {
            ScopeKind.Any => variable,
            ScopeKind.Equal => $"{variable} == {Target()}",
            ScopeKind.In => $"{variable} in {Target()}",
            ScopeKind.Is => $"{variable} is {scope.EntityType}",
            ScopeKind.IsIn => $"{variable} is {scope.EntityType} in {Target()}",
            _ => throw new InvalidOperationException($"unknown scope kind {scope.Kind}"),
        };
    }

    // `when { body }` on one line when it fits and holds no comment; otherwise the top-level && or || chain one
    // operand per line.
    private static string FormatCondition(Condition condition, bool breakLines)
    {
        var keyword = condition.IsWhen ? "when" : "unless";
        var body = ExpressionPrinter.Print(condition.Body);
        if (!breakLines && keyword.Length + body.Length + 4 <= LineWidth && !body.Contains('\n', StringComparison.Ordinal))
        {
            return $"{keyword} {{ {body} }}";
        }

        var lines = ExpressionPrinter.PrintChain(condition.Body);
        return $"{keyword} {{\n{string.Join("\n", lines.Select(l => Indent + l))}\n}}";
    }
}
