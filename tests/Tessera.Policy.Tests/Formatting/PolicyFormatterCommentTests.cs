using Tessera.Policy.Formatting;

namespace Tessera.Policy.Tests.Formatting;

/// <summary>
/// Where <see cref="PolicyFormatter.Format(string)"/> puts comments: exact output for each placement rule in the
/// formatter's remarks, each output checked to re-parse to the same tree and to format to itself.
/// </summary>
public sealed class PolicyFormatterCommentTests
{
    [Fact]
    public void Format_CommentsBeforePolicyAndAmongAnnotations_StayBeforeOnOwnLines()
    {
        AssertFormats(
            """
            // Admins may read.
               // Second line.
            @id("admins") // the id
            // about advice
            @advice("x")
            permit(principal, action, resource);
            // The next policy.
            forbid(principal, action, resource);
            """,
            """
            // Admins may read.
            // Second line.
            @id("admins") // the id
            // about advice
            @advice("x")
            permit (
              principal,
              action,
              resource
            );

            // The next policy.
            forbid (
              principal,
              action,
              resource
            );

            """);
    }

    [Fact]
    public void Format_EndOfLineComments_StayOnEffectScopeConditionAndSemicolonLines()
    {
        AssertFormats(
            """
            permit( // why
              principal == User::"alice", // who
              action in [Action::"read"], // what
              resource // on what
            ) when { context.mfa } // needs MFA
            unless { resource.private }; // done
            """,
            """
            permit ( // why
              principal == User::"alice", // who
              action in [Action::"read"], // what
              resource // on what
            )
            when { context.mfa } // needs MFA
            unless { resource.private }; // done

            """);
    }

    [Fact]
    public void Format_CommentInsideShortCondition_BreaksClauseOneOperandPerLine()
    {
        AssertFormats(
            """
            permit(principal, action, resource)
            when {
              // must be an admin
              principal.admin &&
              // and on time
              context.hour < 18
            } unless { context.holiday };
            """,
            """
            permit (
              principal,
              action,
              resource
            )
            when {
              // must be an admin
              principal.admin &&
              // and on time
              context.hour < 18
            }
            unless { context.holiday };

            """);
    }

    [Fact]
    public void Format_SeveralEndOfLineCommentsOnOneLine_LastStaysOthersGoBefore()
    {
        AssertFormats(
            """
            permit(principal == User:: // type
              "alice", // id
              action, resource) when { [1, // one
              2, // two
              3].contains(context.n) };
            """,
            """
            permit (
              // type
              principal == User::"alice", // id
              action,
              resource
            )
            when {
              // one
              [1, 2, 3].contains(context.n) // two
            };

            """);
    }

    [Fact]
    public void Format_CommentsInBrokenChain_KeepTheirOperandLines()
    {
        AssertFormats(
            """
            permit(principal, action, resource) when {
              principal.department == "HardwareEngineering" && // dept
              // senior only
              principal.jobLevel >= 5 &&
              (context.a || context.b) // either flag
            };
            """,
            """
            permit (
              principal,
              action,
              resource
            )
            when {
              principal.department == "HardwareEngineering" && // dept
              // senior only
              principal.jobLevel >= 5 &&
              (context.a || context.b) // either flag
            };

            """);
    }

    [Fact]
    public void Format_CommentsNextToDroppedTokens_GoToNearestRemainingToken()
    {
        AssertFormats(
            """
            @advice("") // empty value
            permit(principal, action, resource, // trailing comma
            ) when { (
              // inside redundant parentheses
              context.mfa) };
            """,
            """
            @advice // empty value
            permit (
              principal,
              action,
              resource // trailing comma
            )
            when {
              // inside redundant parentheses
              context.mfa
            };

            """);
    }

    [Fact]
    public void Format_CommentsAtEndOfFile_StayAtEnd()
    {
        AssertFormats(
            "permit(principal, action, resource);\n// end one\n// end two",
            "permit (\n  principal,\n  action,\n  resource\n);\n// end one\n// end two\n");
        AssertFormats(
            "permit(principal, action, resource);\n\n\n// end one\n\n// end two\n\n",
            "permit (\n  principal,\n  action,\n  resource\n);\n\n// end one\n\n// end two\n");
    }

    [Fact]
    public void Format_BlankLinesBetweenPolicyComments_KeptBetweenPoliciesDroppedInside()
    {
        AssertFormats(
            """
            // Copyright header

            // Section: admins
            // The admin policy.

            permit(principal, action,

              // blank lines around me go

              resource);
            """,
            """
            // Copyright header

            // Section: admins
            // The admin policy.

            permit (
              principal,
              action,
              // blank lines around me go
              resource
            );

            """);
    }

    [Fact]
    public void Format_DoubleSlashInsideStringLiteral_IsNotAComment()
    {
        AssertFormats(
            """
            @source("https://example.com//x") permit(principal, action, resource == Site::"//home") when { context.url like "http://*" }; // real
            """,
            """
            @source("https://example.com//x")
            permit (
              principal,
              action,
              resource == Site::"//home"
            )
            when { context.url like "http://*" }; // real

            """);
        var output = PolicyFormatter.Format("permit(principal, action, resource) when { context.url == \"a // b\" };");
        Assert.Contains("context.url == \"a // b\"", output, StringComparison.Ordinal);
        Assert.Equal(1, output.Split("//").Length - 1);
    }

    [Fact]
    public void Format_OnlyComments_KeepsThemAndNothingElse()
    {
        AssertFormats("  // nothing here\n\n// yet  \n", "// nothing here\n\n// yet\n");
        Assert.Equal(string.Empty, PolicyFormatter.Format("\n \n"));
    }

    [Fact]
    public void Format_CrLfAndTrailingSpaces_CommentTextKeptWithoutTrailingWhiteSpace()
    {
        AssertFormats(
            "// a  \r\npermit(principal, action, resource); //b\t\r\n//  c ///  \r\n",
            "// a\npermit (\n  principal,\n  action,\n  resource\n); //b\n//  c ///\n");
    }

    [Fact]
    public void Format_CommentsInsideExpressionsAndEntityReferences_Kept()
    {
        AssertFormats(
            """
            permit(principal == User:: // split reference
              "alice", action, resource)
            when { [1, // one
              2].contains(
                // the value
                context.n) && -
              // minus
              5 < context.m };
            """,
            """
            permit (
              principal == User::"alice", // split reference
              action,
              resource
            )
            when {
              // the value
              [1, 2].contains(context.n) && // one
              // minus
              -5 < context.m
            };

            """);
    }

    [Fact]
    public void Format_MoreDroppedTokensThanTheDiffTraces_EveryCommentKept()
    {
        // 900 redundant pairs (1,800 tokens dropped) is more edits than the diff traces, so the tokens are paired greedily instead.
        var operands = Enumerable.Range(0, 900).Select(i => $"(context.a{i}) // c{i}#\n");
        var text = $"permit(principal, action, resource) when {{\n{string.Join("&& ", operands)}}};";
        var formatted = PolicyFormatter.Format(text);
        Assert.Null(AstComparer.FirstDifference(PolicySet.Parse(text).Policies, PolicySet.Parse(formatted).Policies));
        Assert.Equal(formatted, PolicyFormatter.Format(formatted));
        Assert.All(Enumerable.Range(0, 900), i => Assert.Single(formatted.Split('\n'), l => l.EndsWith($"// c{i}#", StringComparison.Ordinal)));
        Assert.Contains("  context.a0 && // c0#\n  context.a1 && // c1#\n", formatted, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_PolicySetWithoutText_HasNoComments()
    {
        var set = PolicySet.Parse("// why\npermit(principal, action, resource); // trailing");
        Assert.Equal("permit (\n  principal,\n  action,\n  resource\n);\n", PolicyFormatter.Format(set));
    }

    /// <summary>Checks the exact output, that it keeps the tree, and that formatting it again changes nothing.</summary>
    private static void AssertFormats(string input, string expected)
    {
        expected = expected.ReplaceLineEndings("\n");
        var formatted = PolicyFormatter.Format(input);
        Assert.Equal(expected, formatted);
        Assert.Null(AstComparer.FirstDifference(PolicySet.Parse(input).Policies, PolicySet.Parse(formatted).Policies));
        Assert.Equal(formatted, PolicyFormatter.Format(formatted));
    }
}
