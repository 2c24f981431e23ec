using Tessera.Policy.Entities;
using Tessera.Policy.Values;

namespace Tessera.Policy.Tests.Evaluation;

public sealed class EvaluatorTests
{
    [Theory]
    [InlineData("9223372036854775807 + 1", "integer overflow in addition")]
    [InlineData("-9223372036854775808 - 1", "integer overflow in subtraction")]
    [InlineData("4611686018427387904 * 2", "integer overflow in multiplication")]
    [InlineData("-(-9223372036854775808)", "integer overflow in negation")]
    [InlineData("1 + \"a\"", "type error: expected long, got string")]
    [InlineData("1 && true", "type error: expected bool, got long")]
    [InlineData("true && 1", "type error: expected bool, got long")]
    [InlineData("false || \"x\"", "type error: expected bool, got string")]
    [InlineData("if 1 then true else false", "type error: expected bool, got long")]
    [InlineData("1 < \"a\"", "type error: expected long, got string")]
    [InlineData("{a: 1}.b", "record does not have the attribute `b`")]
    [InlineData("principal.name", "entity User::\"alice\" does not exist")]
    [InlineData("principal in [User::\"a\", 1]", "type error: expected entity, got long")]
    [InlineData("1 like \"*\"", "type error: expected string, got long")]
    [InlineData("1 is User", "type error: expected entity, got long")]
    [InlineData("[1].containsAll(1)", "type error: expected set, got long")]
    [InlineData("decimal(\"1.23456\")", "invalid decimal literal \"1.23456\"")]
    [InlineData("ip(\"::ffff:1.2.3.4\")", "invalid ip literal \"::ffff:1.2.3.4\"")]
    [InlineData("ip(\"10.0.0.0/008\")", "invalid ip literal \"10.0.0.0/008\"")]
    [InlineData("ip(\"010.0.0.1\")", "invalid ip literal \"010.0.0.1\"")]
    [InlineData("ip(\"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/0128\")", "invalid ip literal \"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/0128\"")]
    [InlineData("ip(\"10.0.0.1\", \"x\")", "`ip` takes 1 argument(s), got 2")]
    [InlineData("datetime(\"2024-02-30\")", "invalid datetime literal \"2024-02-30\"")]
    [InlineData("datetime(\"1970-01-01\").offset(duration(\"-9223372036854775808ms\")).offset(duration(\"-1ms\"))", "overflow in `offset`")]
    [InlineData("principal.getTag(\"t\")", "entity User::\"alice\" does not exist")]
    public void Evaluate_Error_ExactMessage(string expression, string message) =>
        Assert.Equal(message, Cedar.Error(expression));

    [Theory]
    [InlineData("!(false && (1 + \"a\"))")]
    [InlineData("true || (9223372036854775807 + 1 == 0)")]
    [InlineData("!(false && principal.missing)")]
    [InlineData("if true then true else 1 + \"a\"")]
    public void Evaluate_ShortCircuit_SkipsErroringOperand(string expression) => Assert.True(Cedar.True(expression));

    [Theory]
    [InlineData("\"a*b\" like \"a\\*b\"", true)]
    [InlineData("\"axxb\" like \"a\\*b\"", false)]
    [InlineData("\"axxb\" like \"a*b\"", true)]
    [InlineData("\"\" like \"*\"", true)]
    [InlineData("\"abc\" like \"a**c\"", true)]
    [InlineData("\"a\\\\b\" like \"a\\\\*\"", true)]
    [InlineData("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" like \"*a*a*a*a*a*a*a*a*a*a*a*b\"", false)]
    [InlineData("\"ab\\ncd\" like \"ab?cd\"", false)]
    [InlineData("\"ab\\ncd\" like \"ab\\n*\"", true)]
    [InlineData("\"axb\" like \"a\\u{2a}b\"", true)]
    [InlineData("\"axb\" like \"a\\x2ab\"", true)]
    [InlineData("\"a\\\n    b\" == \"ab\"", true)]
    [InlineData("\"\\u{1_F600}\" == \"\\u{1F600}\"", true)]
    public void Evaluate_Like_WildcardsAndEscapes(string expression, bool expected) => Assert.Equal(expected, Cedar.True(expression));

    [Theory]
    [InlineData("abcabc", "*abc", true)]
    [InlineData("abcabc", "abc*abc", true)]
    [InlineData("abc", "abc*abc", false)]
    [InlineData("abcab", "a*b*c*", true)]
    [InlineData("ab", "a*b*c", false)]
    [InlineData("aXbXc", "a*b*c", true)]
    [InlineData("acb", "a*b*c", false)]
    [InlineData("aaa", "a*aa", true)]
    [InlineData("aa", "a*aa", false)]
    public void Evaluate_Like_PiecesMatchLikeFullGlob(string text, string pattern, bool expected) =>
        Assert.Equal(expected, Cedar.True($"\"{text}\" like \"{pattern}\""));

    [Fact]
    public void Evaluate_Like_TenMegabyteTextAgainstHundredThousandWildcards_Bounded()
    {
        var text = new string('a', 10 * 1024 * 1024);
        var pattern = string.Concat(Enumerable.Repeat("*a", 100_000)) + "b";
        Assert.False(Cedar.True($"\"{text}\" like \"{pattern}\""));
        Assert.True(Cedar.True($"\"{text}\" like \"{pattern[..^1]}\""));
    }

    [Fact]
    public void Evaluate_Like_PathologicalPatternOnLongText_Bounded()
    {
        var text = new string('a', 20_000);
        var pattern = string.Concat(Enumerable.Repeat("*a", 200)) + "b";
        Assert.False(Cedar.True($"\"{text}\" like \"{pattern}\""));
    }

    [Fact]
    public void FromJson_CyclicHierarchy_RejectedAtLoadAsInReference()
    {
        var error = Assert.Throws<FormatException>(() => EntityStore.FromJson("""
            [
              {"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": [{"type": "G", "id": "b"}]},
              {"uid": {"type": "G", "id": "b"}, "attrs": {}, "parents": [{"type": "G", "id": "c"}]},
              {"uid": {"type": "G", "id": "c"}, "attrs": {}, "parents": [{"type": "G", "id": "a"}]}
            ]
            """));
        Assert.StartsWith("entities: the entity hierarchy has a cycle containing G::", error.Message);
        Assert.Throws<FormatException>(() => EntityStore.FromJson("""[{"uid": {"type": "G", "id": "s"}, "attrs": {}, "parents": [{"type": "G", "id": "s"}]}]"""));
    }

    [Fact]
    public void Evaluate_In_DiamondHierarchy_IsTransitive()
    {
        var entities = EntityStore.FromJson("""
            [
              {"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": [{"type": "G", "id": "b"}, {"type": "G", "id": "c"}]},
              {"uid": {"type": "G", "id": "b"}, "attrs": {}, "parents": [{"type": "G", "id": "d"}]},
              {"uid": {"type": "G", "id": "c"}, "attrs": {}, "parents": [{"type": "G", "id": "d"}, {"type": "X", "id": "missing"}]},
              {"uid": {"type": "G", "id": "d"}, "attrs": {}, "parents": []}
            ]
            """);
        Assert.True(Cedar.True("G::\"a\" in G::\"d\"", entities));
        Assert.True(Cedar.True("G::\"a\" in X::\"missing\"", entities));
        Assert.True(Cedar.True("G::\"a\" in [G::\"x\", G::\"c\"]", entities));
        Assert.False(Cedar.True("G::\"d\" in G::\"a\"", entities));
        Assert.True(Cedar.True("G::\"z\" in G::\"z\"", entities));
    }

    [Fact]
    public void Evaluate_Entities_AttributesTagsAndHas()
    {
        var entities = EntityStore.FromJson("""
            [{"uid": {"__entity": {"type": "User", "id": "alice"}},
              "attrs": {"age": 30, "boss": {"__entity": {"type": "User", "id": "bob"}},
                        "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.7"}},
                        "when": {"__extn": {"fn": "offset", "args": [{"__extn": {"fn": "datetime", "arg": "2024-01-01"}}, {"__extn": {"fn": "duration", "arg": "1h"}}]}}},
              "parents": [], "tags": {"team": "blue"}}]
            """);
        Assert.True(Cedar.True("principal.age == 30 && principal has age && !(principal has nope)", entities));
        Assert.True(Cedar.True("principal.boss == User::\"bob\" && !(principal.boss has age)", entities));
        Assert.True(Cedar.True("principal.ip.isInRange(ip(\"10.0.0.0/8\")) && !principal.ip.isLoopback()", entities));
        Assert.True(Cedar.True("principal.when == datetime(\"2024-01-01T01:00:00Z\")", entities));
        Assert.True(Cedar.True("principal.hasTag(\"team\") && principal.getTag(\"team\") == \"blue\" && !principal.hasTag(\"x\")", entities));
    }

    [Theory]
    [InlineData("decimal(\"1.5\").round()")]
    [InlineData("unknownFunction(\"x\")")]
    [InlineData("[1].contains(1, 2)")]
    public void Evaluate_InvalidSyntax_IsParseError(string expression) =>
        Assert.Throws<Tessera.Policy.Parsing.PolicyParseException>(() => Cedar.Eval(expression));

    [Theory]
    [InlineData("decimal(\"1.5\").lessThan(decimal(\"2.0\")) && decimal(\"-0.5\") == decimal(\"-0.5000\")")]
    [InlineData("ip(\"192.168.1.1\") == ip(\"192.168.1.1/32\") && ip(\"::1\").isLoopback() && ip(\"ff02::1\").isMulticast()")]
    [InlineData("ip(\"127.0.0.1/8\").isLoopback() && !ip(\"127.0.0.1/7\").isLoopback() && !ip(\"::1/127\").isLoopback()")]
    [InlineData("ip(\"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128\").isIpv6() && ip(\"::\") == ip(\"0:0:0:0:0:0:0:0\")")]
    [InlineData("ip(\"10.1.0.0/16\").isInRange(ip(\"10.0.0.0/8\")) && !ip(\"10.0.0.0/8\").isInRange(ip(\"10.1.0.0/16\"))")]
    [InlineData("datetime(\"2024-10-15T11:35:00.000+0100\") == datetime(\"2024-10-15T10:35:00Z\")")]
    [InlineData("datetime(\"2024-10-15T11:35:00Z\").toDate() == datetime(\"2024-10-15\") && datetime(\"1969-12-31T23:00:00Z\").toTime() == duration(\"23h\")")]
    [InlineData("duration(\"1d2h3m4s5ms\").toMilliseconds() == 93784005 && duration(\"-90m\").toHours() == -1")]
    [InlineData("datetime(\"2024-01-02\").durationSince(datetime(\"2024-01-01\")) == duration(\"24h\") && duration(\"1s\") < duration(\"1001ms\")")]
    [InlineData("[1, 2, 2] == [2, 1] && [1].containsAny([3, 1]) && [].isEmpty() && {a: 1, b: 2} == {b: 2, a: 1}")]
    [InlineData("1 != \"1\" && User::\"a\" != Admin::\"a\"")]
    public void Evaluate_ValuesAndExtensions_True(string expression) => Assert.True(Cedar.True(expression));

    [Fact]
    public void Evaluate_MinimumLong_IsRepresentable() =>
        Assert.Equal(long.MinValue, Assert.IsType<LongValue>(Cedar.Eval("-9223372036854775808")).Value);
}
